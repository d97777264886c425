"""The StatDesk window (PySide6). Only this package imports Qt."""
