"""Runs inside the third-party environment: esia-connector 0.16 from PyPI logs in, unchanged.

The library builds the authorization URL, exchanges the code and reads REST; this script only
plays the browser (the login and consent forms) in between. Prints one JSON object.
"""

import json
import re
import sys
from urllib.parse import parse_qs, urlsplit

import requests
from esia_connector.client import EsiaAuth, EsiaSettings

(esia_url, client_id, redirect_uri, cert, key, esia_public_key, login, password) = sys.argv[1:9]

settings = EsiaSettings(
    esia_client_id=client_id,
    redirect_uri=redirect_uri,
    certificate_file=cert,
    private_key_file=key,
    esia_service_url=esia_url,
    esia_scope="openid fullname snils id_doc medical_doc",
    esia_token_check_key=esia_public_key,
)
auth = EsiaAuth(settings)

browser = requests.Session()
page = browser.get(auth.get_auth_url())
page.raise_for_status()
request_id = re.search(r'name="request_id" value="([^"]+)"', page.text).group(1)
consent = browser.post(
    f"{esia_url}/aas/oauth2/login",
    data={"request_id": request_id, "login": login, "password": password},
)
request_id = re.search(r'name="request_id" value="([^"]+)"', consent.text).group(1)
back = browser.post(
    f"{esia_url}/aas/oauth2/consent",
    data={"request_id": request_id, "decision": "grant"},
    allow_redirects=False,
)
answer = {k: v[0] for k, v in parse_qs(urlsplit(back.headers["Location"]).query).items()}

info = auth.complete_authorization(answer["code"], answer["state"], validate_token=True)
print(
    json.dumps(
        {
            "oid": info.oid,
            "person": info.get_person_main_info(),
            "documents": info.get_person_documents(),
        },
        ensure_ascii=False,
    )
)
