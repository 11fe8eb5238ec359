"""moto_server with one addition: target health driven by target-group tags.

moto never reports `initial` or `unhealthy`. Tag a target group with
`moto:health:<target-id>` = `state|ReasonCode|description` and DescribeTargetHealth
reports that instead (reference/moto.md). Usage: python3 moto_launcher.py -H host -p port
"""
import sys

from moto.elb.responses import ELBResponse
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

# Classic ELB: moto reports InService for a running instance and answers ReasonCode and
# Description "N/A". A tag `moto:health:<instance-id>` = `state|ReasonCode|description` on the
# load balancer overrides that instance's answer, as for target groups above.
_original_classic = ELBResponse.describe_instance_health


def _classic_with_tagged_health(self):
    result = _original_classic(self)
    elb = self.elb_backend.get_load_balancer(self._get_param("LoadBalancerName"))
    tags = getattr(elb, "tags", {}) or {}
    for state in result._result["InstanceStates"]:
        value = tags.get(PREFIX + str(state["InstanceId"]))
        if not value:
            continue
        name, reason, description = (value.split("|", 2) + ["", ""])[:3]
        state["State"] = name
        state["ReasonCode"] = reason or "N/A"
        state["Description"] = description or "N/A"
    return result


ELBResponse.describe_instance_health = _classic_with_tagged_health

if __name__ == "__main__":
    main(sys.argv[1:])
