"""Rendering results for people and machines: validation reports (text,
JSON, GitHub annotations, JUnit, SARIF) and tables (query results, listings,
statistics, network measures). Renderers return text or rich renderables;
they never print."""

from .._util.lazy import lazy_exports

__all__ = ["render_report", "REPORT_FORMATS", "short_term", "query_table", "query_list", "network_list",
           "stats_tables", "analysis_tables", "analysis_csv"]

__getattr__, __dir__ = lazy_exports(__name__, {
    "render_report": "validation", "REPORT_FORMATS": "validation", "short_term": "terms",
    "query_table": "tables", "query_list": "tables", "network_list": "tables", "stats_tables": "tables",
    "analysis_tables": "tables", "analysis_csv": "tables",
})
