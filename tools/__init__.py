"""One-off converters that (re)build files in `geo/gazetteer/data` from public sources.

They run by hand (`python -m tools.marine`, `python -m tools.derived`), never at
import time of the pipeline, and write byte-identical output on every run so a diff shows
only real data changes.
"""
