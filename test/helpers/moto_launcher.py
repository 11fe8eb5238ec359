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

# API Gateway: moto keeps every VPC link AVAILABLE and drops a REST integration's connectionId.
# A tag `moto:status` = `STATUS|message` on a VPC link (REST or HTTP API) reports that status,
# and PutIntegration's connectionId is kept and returned, as API Gateway does.
from moto.apigateway import models as _apigw_models
from moto.apigateway.responses import APIGatewayResponse
from moto.apigatewayv2 import models as _apigwv2_models

STATUS_TAG = "moto:status"


def _status_from(tags, out, status_key, message_key):
    value = (tags or {}).get(STATUS_TAG) if isinstance(tags, dict) else None
    if value:
        status, message = (value.split("|", 1) + [""])[:2]
        out[status_key] = status
        if message:
            out[message_key] = message
    return out


_v1_link_json = _apigw_models.VpcLink.to_json
_apigw_models.VpcLink.to_json = lambda self: _status_from(self.tags, _v1_link_json(self), "status", "statusMessage")
_v2_link_json = _apigwv2_models.VpcLink.to_json
_apigwv2_models.VpcLink.to_json = lambda self: _status_from(self.backend.get_tags(self.arn), _v2_link_json(self), "vpcLinkStatus", "vpcLinkStatusMessage")

_put_integration = APIGatewayResponse.put_integration


def _put_integration_keeping_connection(self):
    result = _put_integration(self)
    parts = self.path.split("/")
    integration = self.backend.get_integration(parts[2], parts[4], parts[6])
    integration.connection_id = self._get_param("connectionId")
    return result


APIGatewayResponse.put_integration = _put_integration_keeping_connection
_integration_json = _apigw_models.Integration.to_json


def _integration_with_connection(self):
    out = _integration_json(self)
    if getattr(self, "connection_id", None):
        out["connectionId"] = self.connection_id
    return out


_apigw_models.Integration.to_json = _integration_with_connection

if __name__ == "__main__":
    main(sys.argv[1:])
