"""moto_server with one addition: target health driven by target-group tags.

moto never reports `initial` or `unhealthy`. Tag a target group with
`moto:health:<target-id>` = `state|ReasonCode|description` and DescribeTargetHealth
reports that instead (reference/moto.md). Usage: python3 moto_launcher.py -H host -p port
"""
import sys

from moto.elbv2.models import ELBv2Backend
from moto.server import main

_original = ELBv2Backend.describe_target_health
PREFIX = "moto:health:"


def _with_tagged_health(self, target_group_arn, targets):
    statuses = _original(self, target_group_arn, targets)
    tags = self.tagging_service.get_tag_dict_for_resource(target_group_arn)
    for status in statuses:
        value = tags.get(PREFIX + str(status.instance_id))
        if not value:
            continue
        state, reason, description = (value.split("|", 2) + ["", ""])[:3]
        status.status = state
        status.reason = reason or None
        status.description = description or None
    return statuses


ELBv2Backend.describe_target_health = _with_tagged_health

if __name__ == "__main__":
    main(sys.argv[1:])
