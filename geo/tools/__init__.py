"""One-off converters that (re)build files in `geo/data` from public sources.

They run by hand (`python -m geo.tools.marine`, `python -m geo.tools.derived`), never at
import time of the pipeline, and write byte-identical output on every run so a diff shows
only real data changes.
"""
