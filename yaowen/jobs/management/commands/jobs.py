"""`manage.py jobs [list|run NAME|deliver|retry]`: the periodic jobs and event deliveries."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from yaowen.jobs.delivery import deliver_pending, deliveries_retry
from yaowen.jobs.schedule import JOBS, job_run
from yaowen.jobs.selectors import deliveries_failed, delivery_counts, job_states


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%m-%d %H:%M:%S") if moment else "-"


class Command(BaseCommand):
    help = (
        "List every periodic job with its last run, next run and recent failures, and the "
        "event deliveries that failed (list, the default); run a job now (run NAME); "
        "deliver pending events in this process (deliver); retry failed deliveries (retry)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "action", nargs="?", default="list", choices=["list", "run", "deliver", "retry"]
        )
        parser.add_argument("names", nargs="*", help="run: job names; retry: delivery ids")
        parser.add_argument("--all", action="store_true", help="retry: every failed delivery")

    def handle(self, *args, action: str, names: list[str], **options) -> None:
        autodiscover_modules("tasks")  # the jobs are declared in each app's tasks module
        getattr(self, f"_{action}")(names, options["all"])

    def _list(self, names: list[str], _all: bool) -> None:
        rows = [("job", "schedule", "last run", "outcome", "ms", "next run", "failed 7d")]
        for state in job_states():
            last = state.last
            rows.append(
                (
                    state.job.name,
                    state.job.cron,
                    _when(last.started_at if last else None),
                    last.outcome if last else "never",
                    str(last.duration_ms) if last and last.duration_ms is not None else "-",
                    _when(state.next_run),
                    str(state.failures),
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            )
        counts = delivery_counts()
        self.stdout.write(
            f"\nEvent deliveries: {counts['pending']} pending, {counts['done']} done, "
            f"{counts['failed']} failed."
        )
        for delivery in deliveries_failed():
            error = (delivery.last_error.strip().splitlines() or [""])[-1]
            self.stdout.write(
                f"  #{delivery.pk} {_when(delivery.created_at)} {delivery.event} → "
                f"{delivery.listener} ({delivery.attempts} attempts): {error}"
            )

    def _run(self, names: list[str], _all: bool) -> None:
        if not names:
            raise CommandError(f"Name a job to run: {', '.join(sorted(JOBS))}")
        unknown = [name for name in names if name not in JOBS]
        if unknown:
            raise CommandError(
                f"No such job: {', '.join(unknown)}. Jobs: {', '.join(sorted(JOBS))}"
            )
        for name in names:
            run = job_run(JOBS[name])
            self.stdout.write(f"{name}: {run.outcome} in {run.duration_ms} ms {run.detail}")
            if run.outcome != "ok":
                raise CommandError(f"{name} failed")

    def _deliver(self, names: list[str], _all: bool) -> None:
        self.stdout.write(f"Ran {deliver_pending()} deliveries.")

    def _retry(self, names: list[str], retry_all: bool) -> None:
        if not names and not retry_all:
            raise CommandError("Name the delivery ids to retry, or use --all.")
        try:
            ids = None if retry_all else [int(name) for name in names]
        except ValueError as exc:
            raise CommandError("Delivery ids are numbers (see `manage.py jobs`).") from exc
        chosen = deliveries_retry(ids=ids)
        from yaowen.jobs.tasks import enqueue

        enqueue(chosen)
        self.stdout.write(f"Queued {len(chosen)} failed deliveries again.")
