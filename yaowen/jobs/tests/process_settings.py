"""The production settings plus the probe listeners, for the processes the tests start."""

from config.settings.base import *  # noqa: F403
from config.settings.base import EVENT_LISTENERS

EVENT_LISTENERS = {
    **EVENT_LISTENERS,
    "probe.slow": ["yaowen.jobs.tests.probes.slow"],
    "probe.fail": ["yaowen.jobs.tests.probes.fail"],
}
