# A Python function with no faasprobe code: a Runtime API loop from the
# standard library that answers every event with {"ok":true}; an event
# that holds "sleep" makes it sleep 5 s first (to run into a timeout).
import os
import time
import urllib.request

base = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
while True:
    with urllib.request.urlopen(base + "next") as r:
        request_id = r.headers["Lambda-Runtime-Aws-Request-Id"]
        body = r.read()
    if b"sleep" in body:
        time.sleep(5)
    req = urllib.request.Request(base + request_id + "/response", data=b'{"ok":true}', method="POST")
    urllib.request.urlopen(req).read()
