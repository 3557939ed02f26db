"""Synthetic sandbox people over HTTP: every provider's identity answers for them, the consent page takes a name."""

from __future__ import annotations

import jwt
import pytest
import requests

from devtools.sandbox.client import ConsentError, authorize
from devtools.sandbox.providers.fitbit.accounts import account_of
from devtools.sandbox.providers.oura.accounts import oura_user_id
from devtools.sandbox.providers.whoop.accounts import whoop_user_id
from devtools.sandbox.providers.withings.accounts import user_id as withings_user_id
from devtools.sandbox.users import find_user
from tests.sandbox.flows import (
    FIT_SCOPES,
    GOOGLE_FIT,
    OURA,
    google_start,
    google_tokens,
    oura_start,
    oura_tokens,
    query_of,
    whoop_tokens,
    withings_tokens,
)

NAME = "user042"


def _get(url: str, token: str) -> requests.Response:
    return requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_google_tokens_name_the_person(sandbox):
    tokens = google_tokens(sandbox.url, NAME, GOOGLE_FIT, scope=" ".join((*FIT_SCOPES, "openid", "email")))

    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    person = find_user(NAME)
    assert (claims["sub"], claims["email"]) == (person.google_sub, f"{NAME}@example.com")


def test_google_health_identity_answers_the_derived_ids(sandbox):
    tokens = google_tokens(sandbox.url, NAME)

    answer = _get(f"{sandbox.url}/googlehealth/v4/users/me/identity", tokens["access_token"])

    assert answer.status_code == 200
    account = account_of(NAME)
    assert (answer.json()["healthUserId"], answer.json()["legacyUserId"]) == \
        (account.health_user_id, account.legacy_user_id)


def test_oura_personal_info_answers_the_person(sandbox):
    tokens = oura_tokens(sandbox.url, NAME)

    body = _get(f"{sandbox.url}/oura/v2/usercollection/personal_info", tokens["access_token"]).json()

    person = find_user(NAME)
    assert body == {"id": oura_user_id(NAME), "age": person.age, "weight": person.weight_kg,
                    "height": person.height_m, "biological_sex": person.biological_sex, "email": person.email}


def test_whoop_profile_answers_the_person(sandbox):
    tokens = whoop_tokens(sandbox.url, NAME)

    body = _get(f"{sandbox.url}/whoop/developer/v2/user/profile/basic", tokens["access_token"]).json()

    assert body == {"user_id": whoop_user_id(NAME), "email": f"{NAME}@example.com", "first_name": "User042",
                    "last_name": "Synthetic"}


def test_withings_token_answer_names_the_derived_userid(sandbox):
    assert withings_tokens(sandbox.url, NAME)["userid"] == str(withings_user_id(NAME))


def test_two_people_get_two_accounts(sandbox):
    first, second = oura_tokens(sandbox.url, "user001"), oura_tokens(sandbox.url, "user002")

    ids = {_get(f"{sandbox.url}/oura/v2/usercollection/personal_info", t["access_token"]).json()["id"]
           for t in (first, second)}
    assert len(ids) == 2


def test_consent_page_lists_demo_users_and_takes_a_typed_name(sandbox):
    url = oura_start(sandbox.url)
    page = requests.get(url, timeout=10).text
    assert 'value="alice"' in page and 'name="user_name"' in page and f"value=\"{NAME}\"" not in page

    fields = {**query_of(url), "user": "alice", "user_name": NAME, "decision": "approve", "granted": "daily"}
    answer = requests.post(url.split("?")[0], data=fields, timeout=10, allow_redirects=False)

    assert answer.status_code == 302
    exchanged = requests.post(f"{sandbox.url}/oura/oauth/token", data={
        "grant_type": "authorization_code", "code": query_of(answer.headers["Location"])["code"],
        "redirect_uri": OURA["redirect_uri"], "client_id": OURA["client_id"], "client_secret": OURA["client_secret"]},
        timeout=10)
    assert exchanged.status_code == 200
    assert [grant.user for grant in sandbox.state.grants.grants("oura")] == [NAME]


def test_consent_refuses_an_invalid_name(sandbox):
    with pytest.raises(ConsentError) as refused:
        authorize(google_start(sandbox.url).url, user="Not Valid")
    assert refused.value.status == 400


def test_calls_are_logged_per_user_and_api(sandbox):
    tokens = {name: oura_tokens(sandbox.url, name)["access_token"] for name in ("user001", "user002")}
    for _ in range(3):
        _get(f"{sandbox.url}/oura/v2/usercollection/personal_info", tokens["user001"])
    _get(f"{sandbox.url}/oura/v2/usercollection/personal_info", tokens["user002"])
    _get(f"{sandbox.url}/oura/v2/usercollection/personal_info", "not-a-token")

    answer = requests.get(f"{sandbox.url}/_sandbox/calls?window=60", timeout=10).json()

    assert answer["calls"] == [{"user": "user001", "api": "oura", "calls": 3, "peak": 3},
                               {"user": "user002", "api": "oura", "calls": 1, "peak": 1}]
    assert requests.get(f"{sandbox.url}/_sandbox/calls?window=0", timeout=10).status_code == 400
