"""JSON log lines (LANTERN_LOG_FORMAT=json) with python-json-logger: each record as
one object with `timestamp`, `level`, `logger` and `message`, any `extra` fields,
and the method, path and status of the request a record is about (Django's request
loggers attach the request object itself, which JSON cannot carry)."""

from __future__ import annotations

import logging
from typing import Any

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter


class JsonFormatter(BaseJsonFormatter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault(
            "rename_fields",
            {"asctime": "timestamp", "levelname": "level", "name": "logger"},
        )
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        super().__init__(*args, **kwargs)

    def add_fields(
        self,
        log_data: dict[str, Any],
        record: logging.LogRecord,
        message_dict: dict[str, Any],
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        request = log_data.pop("request", None)
        if request is not None and hasattr(request, "method"):
            log_data.setdefault("method", request.method)
            log_data.setdefault("path", getattr(request, "path", ""))
        if "status_code" in log_data:
            log_data.setdefault("status", log_data.pop("status_code"))
        # The socket of a failed request is no use in a log line either.
        log_data.pop("server_time", None)
