"""StatDesk's benchmarks: `uv run python -m bench` (see bench/README.md). Not part of the tests."""
