#Sample code for signing the request requires Python3 and requests modules
# The reference's Python sample, verbatim but for its inputs (from the environment) and its output (status + body).

import base64
import datetime
import hashlib
import hmac
import json
import os
import requests


# Basic prep
app_id = os.environ["WEV_APP_ID"]
secret = os.environ["WEV_SECRET"]
values = {"email": os.environ["WEV_EMAIL"]}
method = os.environ.get("WEV_METHOD", "GET")
url = os.environ["WEV_URL"]
date = datetime.datetime.utcnow().strftime("%a, %d %b %Y %H:%M:%S") + " UTC"

# Prepare the string which needs to be signed
# string_to_sign = Method + MD5-Content + Date(e.g. Fri, 30 Dec 2015 16:50:40 UTC) + Url
encoded_values = json.dumps(values).encode("utf-8")
string_to_sign = method + "\n" + (hashlib.md5(encoded_values).hexdigest()) + "\n" + date + "\n" + url

# Do signing and prepare headers
signature = base64.b64encode(hmac.new(str.encode(secret),
                                      string_to_sign.encode("utf-8"), hashlib.sha256).digest())
authorization = "WEV" + " " + app_id + ":" + signature.decode("utf-8")

headers = {
    "Date": date,
    "Content-Type": "application/json",
    "Authorization": authorization,
    "Accept": "application/json"
}

# Make the request
response = requests.request(method, url, headers=headers, data=encoded_values)
print(response.status_code)
print(response.content.decode("utf-8"))
