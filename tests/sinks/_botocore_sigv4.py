"""Reference SigV4 signature from botocore (Debian python3-botocore).

Reads JSON on stdin: method, url, headers (dict), body (text), region, key,
secret, token (or null), timestamp (YYYYMMDDTHHMMSSZ). Prints botocore's
Authorization header for that request at that time.
"""
import datetime
import json
import sys
from unittest import mock

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

spec = json.load(sys.stdin)
when = datetime.datetime.strptime(spec["timestamp"], "%Y%m%dT%H%M%SZ")
request = AWSRequest(
    method=spec["method"],
    url=spec["url"],
    data=spec["body"].encode("utf-8"),
    headers=spec["headers"],
)
auth = S3SigV4Auth(Credentials(spec["key"], spec["secret"], spec["token"]), "s3", spec["region"])
with mock.patch("botocore.auth.datetime") as fake:
    fake.datetime.utcnow.return_value = when
    fake.datetime.now.return_value = when.replace(tzinfo=datetime.timezone.utc)
    auth.add_auth(request)
print(request.headers["Authorization"])
