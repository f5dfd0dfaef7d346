"""Database helpers that differ by vendor."""

from __future__ import annotations

import time
from contextlib import contextmanager

from django.db import OperationalError, connection, transaction


class TimeLimitExceeded(Exception):
    """A query ran past its time limit and was cancelled."""


@contextmanager
def time_limit(milliseconds: int):
    """Cancel the queries of the block that run past ``milliseconds`` (raises TimeLimitExceeded).

    SQLite: a progress handler that interrupts the statement; PostgreSQL: ``statement_timeout``
    for the block's transaction. Elsewhere the block runs without a limit.
    """
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        deadline = time.monotonic() + milliseconds / 1000
        raw = connection.connection
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 10000)
        try:
            yield
        except OperationalError as error:
            if "interrupted" in str(error):
                raise TimeLimitExceeded from error
            raise
        finally:
            raw.set_progress_handler(None, 0)
    elif connection.vendor == "postgresql":
        # SET LOCAL outlives a savepoint that is released, so the block restores the limit itself.
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL statement_timeout = %s", [int(milliseconds)])
                yield
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL statement_timeout = DEFAULT")
        except OperationalError as error:
            if "statement timeout" in str(error) or "canceling statement" in str(error):
                raise TimeLimitExceeded from error
            raise
    else:
        yield
