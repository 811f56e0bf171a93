"""What HTTP load does not show, measured with Django itself against the benchmark's database.

Run by the runner as `python -m bench.measure NAME --fixtures F [--port P]` with the same
production environment as gunicorn; prints one JSON measurement (without `database`) as its
last line.
"""

import argparse
import hashlib
import http.client
import json
import os
import queue
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

Record = dict[str, Any]
STATEMENT_ENTRIES = 100_000


def _as_requests(work: Callable[..., Any]) -> Callable[..., Any]:
    """Run `work` as gunicorn runs a request: Django's request_started and request_finished
    close the thread's database connection only when it is unusable or older than
    CONN_MAX_AGE, so a worker keeps its connection from one request to the next."""
    from django.db import close_old_connections

    def run(*args: Any) -> Any:
        close_old_connections()
        try:
            return work(*args)
        finally:
            close_old_connections()

    return run


def voter_queues(voter_pks: list[int], processes: int) -> list[list[int]]:
    """The voters dealt to the processes, each voter twice side by side: two threads of one
    process take the two attempts at once (two tabs of one person)."""
    queues: list[list[int]] = [[] for _ in range(processes)]
    for index, pk in enumerate(voter_pks):
        queues[index % processes] += [pk, pk]
    return queues


Attempt = tuple[int, str, float, float]  # voter pk, outcome, start and end (monotonic clock)


def raced_pairs(attempts: list[Attempt]) -> int:
    """How many voters had both their attempts in flight at the same moment."""
    spans: dict[int, list[tuple[float, float]]] = {}
    for pk, _outcome, start, end in attempts:
        spans.setdefault(pk, []).append((start, end))
    return sum(
        1
        for pair in spans.values()
        if len(pair) == 2 and pair[0][0] < pair[1][1] and pair[1][0] < pair[0][1]
    )


def _cast_in_process(
    poll_pk: int,
    answers: dict[int, list[int]],
    voter_pks: list[int],
    threads: int,
    start: Any,
    results: Any,
) -> None:
    """One process of voters (a gunicorn worker's share): `threads` of them at a time."""
    import django

    django.setup()
    from django.db import connection

    from dimos.accounts.models import User
    from dimos.polls import actions
    from dimos.polls.models import Poll

    poll = Poll.objects.get(pk=poll_pk)
    voters = {user.pk: user for user in User.objects.filter(pk__in=voter_pks)}
    connection.close()

    def cast(pk: int) -> Attempt:
        started = time.monotonic()  # CLOCK_MONOTONIC: one clock for every process on Linux
        try:
            actions.do_cast_ballot(poll, voters[pk], answers)
            outcome = "cast"
        except actions.RefusedError as refused:
            outcome = f"refused:{refused.reason.value}"
        return pk, outcome, started, time.monotonic()

    start.wait(timeout=300)  # every process ready (or a broken barrier, not a hang)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results.put(list(pool.map(_as_requests(cast), voter_pks)))


def _gathered(workers: list[Any], results: Any) -> list[Attempt]:
    """Every process's attempts; a process that died stops the measurement at once."""
    batches: list[list[Attempt]] = []
    while len(batches) < len(workers):
        try:
            batches.append(results.get(timeout=5))
        except queue.Empty:
            if any(worker.exitcode not in (None, 0) for worker in workers):
                raise RuntimeError("a voters' process failed (see its traceback above)") from None
    for worker in workers:
        worker.join()
    return [attempt for batch in batches for attempt in batch]


def votes(fixtures: dict[str, Any], threads: int, processes: int) -> Record:
    """Racing voters through the app's cast action: each voter of the open poll tries twice,
    both attempts in flight together; the unique participation must refuse the second.

    `threads` attempts are in flight at a time, spread over `processes` processes as requests
    are over gunicorn's workers (2 × cores by default), so the figure is not that of one
    interpreter lock. The clock runs from the moment every process is ready."""
    import multiprocessing

    from django.db import connection
    from django.db.models import Count

    from dimos.accounts.models import User
    from dimos.polls.models import Ballot, Participation, Poll, Question

    poll = Poll.objects.get(pk=fixtures["open_poll"]["poll_id"])
    voters = list(User.objects.filter(email__in=fixtures["open_poll"]["voter_emails"]))
    answers = {
        q.pk: [q.options.all()[0].pk]
        for q in Question.objects.filter(poll=poll).prefetch_related("options")
    }
    ballots_before = Ballot.objects.filter(poll=poll).count()
    connection.close()

    context = multiprocessing.get_context("spawn")
    start = context.Barrier(processes)
    results = context.Queue()
    per_process = max(2, threads // processes)  # two: a voter's attempts race
    workers = [
        context.Process(
            target=_cast_in_process,
            args=(poll.pk, answers, share, per_process, start, results),
            daemon=True,  # ended with this process if a sibling fails
        )
        for share in voter_queues([v.pk for v in voters], processes)
    ]
    for worker in workers:
        worker.start()
    attempts = _gathered(workers, results)
    elapsed = max(a[3] for a in attempts) - min(a[2] for a in attempts)
    outcomes = [a[1] for a in attempts]
    cast_count = outcomes.count("cast")
    doubles = (
        Participation.objects.filter(poll=poll, person__in=voters)
        .values("person")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    extra_ballots = Ballot.objects.filter(poll=poll).count() - ballots_before - cast_count
    refusals = dict(Counter(o for o in outcomes if o != "cast"))
    raced = raced_pairs(attempts)
    return {
        "name": "votes",
        "value": round(cast_count / elapsed, 1),
        "unit": "votes/s",
        "voters": len(voters),
        "attempts": len(attempts),
        "cast": cast_count,
        "refused": len(attempts) - cast_count,
        "doubles": doubles + max(extra_ballots, 0),
        "threads": per_process * processes,
        "processes": processes,
        "raced": raced,
        "seconds": round(elapsed, 2),
        "refusals": refusals,
        "note": f"{len(voters)} voters × 2 attempts, {per_process * processes} at a time from "
        f"{processes} processes × {per_process} threads (as gunicorn's workers); both attempts "
        f"in flight together for {raced} voters; refused: {refusals}",
    }


def _signed_bodies(fixtures: dict[str, Any]) -> list[tuple[int, bytes]]:
    """(order pk, the gateway's signed CAPTURED callback) for each open card order."""
    from django.conf import settings

    from dimos.payments import actions
    from dimos.payments.gateways import CardlinkGateway, CardPaymentRequest
    from dimos.payments.models import PaymentOrder
    from dimos.sandbox.cardlink import signed_response

    gateway = CardlinkGateway(
        settings.DIMOS_CARDLINK_MID, settings.DIMOS_CARDLINK_SECRET, settings.DIMOS_CARDLINK_URL
    )
    bodies = []
    for item in fixtures["card_orders"]:
        order = PaymentOrder.objects.get(rf=item["rf"])
        attempt = actions.do_start_card_attempt(order)
        form = gateway.redirect_form(
            CardPaymentRequest(
                order_ref=attempt.gateway_order_id,
                amount_cents=attempt.amount_cents,
                description=order.description,
                payer_email=item.get("email", ""),
                payer_phone="",
                confirm_url=f"{settings.DIMOS_PUBLIC_URL}/payments/card/return/",
                cancel_url=f"{settings.DIMOS_PUBLIC_URL}/payments/card/return/",
            )
        )
        fields = signed_response(form.fields, "CAPTURED", settings.DIMOS_CARDLINK_SECRET)
        bodies.append((order.pk, urlencode(fields).encode()))
    return bodies


def _post(port: int, body: bytes) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "POST",
            "/payments/card/return/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Forwarded-Proto": "https",
            },
        )
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def card_confirmations(fixtures: dict[str, Any], port: int, threads: int) -> Record:
    """Signed Cardlink callbacks POSTed to gunicorn, each order confirmed 2–3 times at once
    (the browser return and the gateway's background confirmations)."""
    from django.db.models import Count

    from dimos.payments.models import Payment, PaymentOrder

    bodies = _signed_bodies(fixtures)
    posts = [body for index, (_pk, body) in enumerate(bodies) for _ in range(2 + index % 2)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        statuses = list(pool.map(lambda body: _post(port, body), posts))
    elapsed = time.perf_counter() - started
    order_ids = [pk for pk, _body in bodies]
    doubles = (
        Payment.objects.filter(order_id__in=order_ids)
        .values("order")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    paid = PaymentOrder.objects.filter(pk__in=order_ids, status=PaymentOrder.Status.PAID).count()
    return {
        "name": "card_confirmations",
        "value": round(len(posts) / elapsed, 1),
        "unit": "callbacks/s",
        "orders": len(bodies),
        "orders_per_s": round(len(bodies) / elapsed, 1),
        "callbacks": len(posts),
        "redirected": statuses.count(302),
        "refused": len(posts) - statuses.count(302),
        "orders_paid": paid,
        "doubles": doubles,
        "threads": threads,
        "seconds": round(elapsed, 2),
        "note": f"{len(bodies)} orders, {len(posts)} signed callbacks from {threads} threads; "
        f"orders paid: {paid}",
    }


STATEMENT_CHUNK = 10_000


def _statement_rows(fixtures: dict[str, Any], entries: int) -> tuple[list[dict[str, Any]], int]:
    """Entries paying open orders (their amount due) and, beyond the open orders, entries
    with no RF (they go to review); shuffled, so every part of the file has both."""
    from django.utils import timezone

    from dimos.payments.models import PaymentOrder

    card_rfs = {item["rf"] for item in fixtures.get("card_orders", [])}
    open_orders = list(
        PaymentOrder.objects.filter(status=PaymentOrder.Status.OPEN, rf__isnull=False)
        .exclude(rf__in=card_rfs)
        .values_list("rf", "amount_cents", "paid_cents")[:entries]
    )
    today = timezone.localdate()
    rows = [
        {"amount_cents": amount - paid, "rf": rf, "date": today, "entry_ref": f"BENCH-{n}"}
        for n, (rf, amount, paid) in enumerate(open_orders)
    ]
    rows += [
        {"amount_cents": 1000, "rf": "", "date": today, "entry_ref": f"BENCH-X{n}"}
        for n in range(entries - len(rows))
    ]
    random.Random(2026).shuffle(rows)  # noqa: S311 (test data)
    for row in rows:
        row["debtor_name"] = "ΠΛΗΡΩΤΗΣ" if row["rf"] else "ΑΓΝΩΣΤΟΣ"
    return rows, len(open_orders)


def statement_import(fixtures: dict[str, Any], entries: int, budget_s: float) -> Record:
    """Bank statement entries parsed and imported by the app's action, in camt.053 files of
    10,000 entries; once `budget_s` is spent, the rest is extrapolated (and said so)."""
    from django.conf import settings

    from dimos.payments.actions import do_import_statement
    from dimos.payments.statements import parse_statement
    from dimos.payments.statements.generate import camt053_for

    rows, for_orders = _statement_rows(fixtures, entries)
    spent = parse_spent = 0.0
    done = 0
    summary: Counter[str] = Counter()
    for start in range(0, len(rows), STATEMENT_CHUNK):
        chunk = rows[start : start + STATEMENT_CHUNK]
        data = camt053_for(chunk, iban=settings.DIMOS_BANK["iban"], statement_id=f"BENCH-{start}")
        started = time.perf_counter()
        statement = parse_statement(data)
        parsed = time.perf_counter()
        record = do_import_statement(
            statement, file_name=f"bench-{start}.xml", sha256=hashlib.sha256(data).hexdigest()
        )
        spent += time.perf_counter() - started
        parse_spent += parsed - started
        summary.update(record.summary)
        done += len(chunk)
        if spent > budget_s:
            break
    complete = done == len(rows)
    value = spent if complete else spent * len(rows) / done
    note = f"{len(rows):,} entries ({for_orders:,} paying open orders, the rest without RF)"
    if not complete:
        note += (
            f"; EXTRAPOLATED from {done:,} entries imported in {spent:.0f} s "
            f"(the time budget, --statement-budget)"
        )
    return {
        "name": "statement_import",
        "value": round(value, 1),
        "unit": "s",
        "entries": len(rows),
        "measured_entries": done,
        "extrapolated": not complete,
        "for_open_orders": for_orders,
        "parse_seconds": round(parse_spent, 2),
        "summary": dict(summary),
        "note": f"{note}; parsing {parse_spent:.1f} s of {spent:.1f} s; {dict(summary)}",
    }


def receipt_pdf(renders: int) -> Record:
    """The median time of the real receipt function (do_issue_receipt_document) rendering a
    receipt's PDF; storing and recording are left out, so every call renders."""
    from django.utils import timezone

    from dimos.core import documents
    from dimos.payments import actions
    from dimos.payments.models import Receipt

    receipt = Receipt.objects.select_related("payment__order").order_by("pk").first()
    if receipt is None:
        return {"name": "receipt_pdf", "value": None, "unit": "s", "skipped": "no receipt"}

    def render_only(
        kind: str, title: str, template: str, context: dict[str, Any], **kw: Any
    ) -> Any:
        document = documents.IssuedDocument(
            kind=kind, code=documents.new_code(), title=title, issued_at=timezone.now()
        )
        documents.render_document(document, template, context)
        return SimpleNamespace(pk=receipt.document_id)  # as if issued before: nothing stored

    original = actions.issue_document
    actions.issue_document = render_only
    try:
        timings = []
        for _ in range(renders):
            started = time.perf_counter()
            actions.do_issue_receipt_document(receipt)
            timings.append(time.perf_counter() - started)
    finally:
        actions.issue_document = original
    return {
        "name": "receipt_pdf",
        "value": round(statistics.median(timings), 3),
        "unit": "s",
        "renders": renders,
        "max_s": round(max(timings), 3),
        "note": f"median of {renders} renders (WeasyPrint); slowest {max(timings):.2f} s",
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.measure")
    parser.add_argument("name", choices=["votes", "card", "statement", "receipt_pdf"])
    parser.add_argument("--fixtures", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--processes", type=int, default=2 * (os.cpu_count() or 1), help="votes: 2 × cores"
    )
    parser.add_argument("--entries", type=int, default=STATEMENT_ENTRIES)
    parser.add_argument("--budget", type=float, default=120.0, help="seconds for the statement")
    args = parser.parse_args(argv)

    import django

    django.setup()
    fixtures = json.loads(args.fixtures.read_text())
    random.seed(2026)
    if args.name == "votes":
        record = votes(fixtures, args.threads, args.processes)
    elif args.name == "card":
        record = card_confirmations(fixtures, args.port, args.threads)
    elif args.name == "statement":
        record = statement_import(fixtures, args.entries, args.budget)
    else:
        record = receipt_pdf(20)
    print(json.dumps(record, default=str, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
