"""Qt item models: thin adapters over the workspace's plain rows."""
