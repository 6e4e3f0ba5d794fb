"""Statements made now and run later, in order, by a writing thread on the same connection.

A bulk writer (the CSV import, relations.importing.write; generate_sample_data) turns a
batch into statements (`Statements`: COPY texts and SQL with their parameters) and hands
them to a `Pipe`, whose thread sends them to PostgreSQL while the writer makes the next
batch: the database's work (its indexes, triggers and checks) and the writer's Python run
at the same time, on two processors, where one waited for the other. Elsewhere the
statements run at once, as they are made.
"""

import queue
import sys
import threading

from django.db import connections

from .batching import batched
from .bulk_write import (
    copy_statement,
    insert_instances,
    insert_rows,
    instance_columns,
    instance_copy_lines,
    mark_saved,
    update_statements,
)

PENDING_BATCHES = 2  # batches built and waiting for the thread, besides the one it writes
SWITCH_INTERVAL = 0.001  # seconds (sys.setswitchinterval) while the thread writes
STATEMENT_ROWS = 1000  # rows per COPY or UPDATE


class Pipe:
    """Run the batches' statements in order on the writer's connection: in a thread when
    `threaded`, else at once.

    The thread shares the connection with the writing thread, whose Python work goes on
    while a statement runs. It can also run reads in turn (submit(); the import reads each
    batch's agreements ahead), so that the writing thread's own queries are few: queries
    that read nothing written, such as the sequences' (core.bulk_write.allocate_ids), are
    best sent on a connection of their own. One statement runs at a time on the shared
    connection: each of the thread's holds a lock, which every other query on it takes
    too (an execute wrapper), as psycopg2 would let a query in between the parts of a
    COPY; such a query goes first, as the thread waits for it before its next statement.
    The fetches of a server-side cursor (QuerySet.iterator() on PostgreSQL) are queries no
    execute wrapper sees: what may run while the thread writes must not read through one.

    The first statement that fails stops the rest; its error is kept and raised by the
    next put(), wait() or raise_error(). The transaction is then broken, so the writer's
    other queries fail too: the caller reports this error, the cause, rather than theirs.
    """

    def __init__(self, connection, *, threaded):
        self.connection, self.error = connection, None
        self.queue = self.thread = self.wrapper = None
        if threaded:
            self.lock = threading.Lock()  # held by the statement running
            self.turn = threading.Condition()  # guards `waiting`
            self.waiting = 0  # queries of other threads waiting for the lock
            # A batch's statements, and the reading of the batch after the next.
            self.queue = queue.Queue(maxsize=2 * PENDING_BATCHES)
            self.skipped = []  # (event, outcome) of reads, set as failed if never run
            self.wrapper = connection.execute_wrapper(self._one_at_a_time)
            self.wrapper.__enter__()
            connection.inc_thread_sharing()
            # The thread takes the interpreter's lock back as each statement ends, from
            # the writing thread's Python work: at once, rather than after 5 ms.
            self.switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(self.switch_interval, SWITCH_INTERVAL))
            self.thread = threading.Thread(target=self._work, name="bulk-writer", daemon=True)
            self.thread.start()

    def put(self, jobs):
        self.raise_error()
        if self.thread is None:
            self._run(jobs)
        else:
            self.queue.put(jobs)

    def submit(self, function, *args):
        """Run function(*args) as the next job; return a function that waits for its
        result, or raises its error (or that of a statement before it)."""
        if self.thread is None:
            result = function(*args)
            return lambda: result
        done, outcome = threading.Event(), []

        def job(cursor):
            try:
                outcome.append((function(*args), None))
            except BaseException as error:  # noqa: BLE001 - raised by the waiting thread
                outcome.append((None, error))
            done.set()

        def result():
            done.wait()
            value, error = outcome[0]
            if error is not None:
                raise error
            return value

        with self.turn:
            self.skipped.append((done, outcome))
        self.put([job])
        return result

    def wait(self):
        """Wait for every statement put so far; raise the error of one that failed."""
        if self.thread is not None:
            self.queue.join()
        self.raise_error()

    def raise_error(self):
        if self.error is not None:
            raise self.error

    def close(self):
        """Stop the thread once it has run (or skipped) what it was given."""
        if self.thread is None:
            return
        self.queue.put(None)
        self.thread.join()
        self.thread = None
        self.connection.dec_thread_sharing()
        self.wrapper.__exit__(None, None, None)
        sys.setswitchinterval(self.switch_interval)

    def _one_at_a_time(self, execute, sql, params, many, context):
        if threading.current_thread() is self.thread:
            return execute(sql, params, many, context)  # a statement of the thread's
        with self.turn:
            self.waiting += 1
        try:
            self.lock.acquire()
        finally:
            with self.turn:
                self.waiting -= 1
                self.turn.notify_all()
        try:
            return execute(sql, params, many, context)
        finally:
            self.lock.release()

    def _work(self):
        # The ORM's queries of the reads use the shared connection too.
        connections[self.connection.alias] = self.connection
        while True:
            jobs = self.queue.get()
            try:
                if jobs is None:
                    return
                if self.error is None:
                    self._run(jobs)
            except BaseException as error:  # noqa: BLE001 - kept for the writing thread
                self.error = error
            finally:
                self._settle()
                self.queue.task_done()

    def _settle(self):
        """Let the reads that will not run (a statement before them failed) fail too."""
        with self.turn:
            pending = []
            for done, outcome in self.skipped:
                if done.is_set():
                    continue
                if self.error is not None:
                    outcome.append((None, self.error))
                    done.set()
                else:
                    pending.append((done, outcome))
            self.skipped = pending

    def _run(self, jobs):
        if not jobs:
            return
        with self.connection.cursor() as cursor:
            for job in jobs:
                if self.thread is None:
                    job(cursor)
                    continue
                with self.turn:
                    self.turn.wait_for(lambda: not self.waiting)
                with self.lock:
                    job(cursor)


class Statements:
    """The statements that write one batch, in order: on PostgreSQL made now and run later
    by a Pipe (`jobs`, each a function of a cursor), elsewhere run now."""

    def __init__(self, connection):
        self.connection = connection
        self.later = connection.vendor == "postgresql"
        self.jobs = []

    def insert_instances(self, model, instances):
        """Insert instances that have their ids (allocate_ids), or get them now."""
        if not instances:
            return
        if not self.later:
            insert_instances(model, instances, using=self.connection.alias)
            return
        lines = instance_copy_lines(model, instances, self.connection)
        columns = instance_columns(model)
        for chunk in batched(lines, STATEMENT_ROWS):
            self.jobs.append(copy_statement(model, columns, None, self.connection, lines=chunk))
        mark_saved(instances, self.connection.alias)

    def insert_rows(self, model, columns, rows, line=None):
        """Insert rows of values; `line` may give COPY's line of a row, faster than
        core.bulk_write.copy_line() for rows of a known shape."""
        if not rows:
            return
        if not self.later:
            insert_rows(model, columns, rows, using=self.connection.alias)
            return
        for chunk in batched(rows, STATEMENT_ROWS):
            self.jobs.append(copy_statement(model, columns, chunk, self.connection, line=line))

    def update(self, model, fields, instances):
        statements = update_statements(
            model, fields, instances, self.connection, rows=STATEMENT_ROWS
        )
        for sql, params in statements:
            self.execute(sql, params)

    def delete(self, model, column, ids, **where):
        """Delete the model's rows whose column is one of the ids (and `where` holds)."""
        if not ids:
            return
        quote = self.connection.ops.quote_name
        table = quote(model._meta.db_table)
        conditions = "".join(f" AND {quote(name)} = %s" for name in where)
        if self.later:
            sql = f"DELETE FROM {table} WHERE {quote(column)} = ANY(%s){conditions}"
            self.execute(sql, [list(ids), *where.values()])
            return
        for chunk in batched(ids, 500):
            marks = ", ".join(["%s"] * len(chunk))
            sql = f"DELETE FROM {table} WHERE {quote(column)} IN ({marks}){conditions}"
            self.execute(sql, [*chunk, *where.values()])

    def execute(self, sql, params):
        if self.later:
            self.jobs.append(lambda cursor: cursor.execute(sql, params))
        else:
            with self.connection.cursor() as cursor:
                cursor.execute(sql, params)
