"""The import's writing thread: a batch's statements run on the import's connection while
the next batch is checked (write.py).
"""

import queue
import sys
import threading

from django.db import connections

PENDING_BATCHES = 2  # batches built and waiting for the thread, besides the one it writes
SWITCH_INTERVAL = 0.001  # seconds (sys.setswitchinterval) while the thread writes


class Pipe:
    """Run the batches' statements in order on the import's connection: in a thread when
    `threaded`, else at once.

    The thread shares the connection with the importing thread, whose Python work goes on
    while a statement runs. It also reads each batch's agreements ahead (submit()), so that
    the importing thread's queries of a batch are few: the constraints' checks and the ids
    go to a connection of their own (Writer.checks). One statement runs at a time on the
    shared connection: each of the thread's holds a lock, which every other query on it
    takes too (an execute wrapper), as psycopg2 would let a query in between the parts of
    a COPY; such a query goes first, as the thread waits for it before its next statement.

    The first statement that fails stops the rest; its error is kept and raised by the
    next put(), wait() or raise_error(). The transaction is then broken, so the import's
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
            # the importing thread's Python work: at once, rather than after 5 ms.
            self.switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(self.switch_interval, SWITCH_INTERVAL))
            self.thread = threading.Thread(target=self._work, name="import-writer", daemon=True)
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
            except BaseException as error:  # noqa: BLE001 - kept for the importing thread
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
