"""Sandbox users: the demo users as pinned, and a deterministic, distinct synthetic person for any valid name."""

import pytest

from devtools.sandbox.providers.fitbit.accounts import account_of
from devtools.sandbox.providers.oura.accounts import oura_user_id
from devtools.sandbox.providers.whoop.accounts import whoop_user_id
from devtools.sandbox.providers.withings.accounts import user_id as withings_user_id
from devtools.sandbox.providers.withings.accounts import user_of as withings_user_of
from devtools.sandbox.users import DEMO_USERS, DemoUser, find_user, synthetic_user, valid_user_name
from devtools.sandbox.wearer.profiles import profile_of

FLEET = [f"user{number:03d}" for number in range(300)]


def test_demo_users_are_unchanged():
    assert [find_user(user.name) for user in DEMO_USERS] == list(DEMO_USERS)
    assert find_user("alice") == DemoUser("alice", "Alice Example", "alice@example.com", "104528831027446185501",
                                          34, 61.5, 1.68, "female")
    assert (profile_of("bob").age, profile_of("bob").weight_kg, profile_of("bob").female) == (42, 90.2, False)
    assert account_of("dave").google_health_linked is False
    assert (oura_user_id("carol"), whoop_user_id("alice"), withings_user_id("bob")) == \
        ("8b97e1b67-144-5e9a8c067-e62331-968-c", 28417701, 38191921)


def test_a_synthetic_person_is_derived_from_the_name_alone():
    person = find_user("user042")

    assert person == synthetic_user("user042") == find_user("user042")
    assert person.email == "user042@example.com"
    assert person.display_name == "User042 Synthetic"
    assert person.google_sub.isdigit() and len(person.google_sub) == 21
    assert 20 <= person.age < 70 and 40 < person.weight_kg < 110 and 1.5 < person.height_m < 2.0
    assert person.biological_sex in ("female", "male")
    wearer = profile_of("user042")
    assert (wearer.age, wearer.weight_kg, wearer.height_m) == (person.age, person.weight_kg, person.height_m)
    assert wearer.female == (person.biological_sex == "female")


def test_every_name_is_a_different_person_with_different_accounts():
    people = [find_user(name) for name in FLEET]
    demo_subs = {user.google_sub for user in DEMO_USERS}

    assert len({person.google_sub for person in people} | demo_subs) == len(FLEET) + len(DEMO_USERS)
    assert len({person.email for person in people}) == len(FLEET)
    assert len({(p.age, p.weight_kg, p.height_m) for p in people}) > len(FLEET) // 2  # figures vary
    for derive in (oura_user_id, whoop_user_id, withings_user_id, lambda name: account_of(name).health_user_id,
                   lambda name: account_of(name).legacy_user_id):
        ids = {derive(name) for name in FLEET + [user.name for user in DEMO_USERS]}
        assert len(ids) == len(FLEET) + len(DEMO_USERS)
    assert all(account_of(name).google_health_linked for name in FLEET)


def test_withings_ids_lead_back_to_their_user_among_the_candidates():
    assert withings_user_of(str(withings_user_id("user007")), FLEET) == "user007"
    assert withings_user_of(str(withings_user_id("bob"))) == "bob"
    assert withings_user_of(str(withings_user_id("user007"))) is None


@pytest.mark.parametrize("name", ["", "Alice", "-x", ".x", "a b", "a/b", "ä", "x" * 65, None, 7])
def test_invalid_names_are_nobody(name):
    assert not valid_user_name(name)
    assert find_user(name) is None if isinstance(name, str) else True
    with pytest.raises(ValueError):
        synthetic_user(name)


@pytest.mark.parametrize("name", ["a", "0", "user_1.x-y", "x" * 64])
def test_valid_names(name):
    assert valid_user_name(name)
    assert find_user(name).name == name
