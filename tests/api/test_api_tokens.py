"""Personal access tokens (issue 16): made and revoked by their user on the account page and
by an administrator on the user's page; the secret shown once, stored hashed; audited."""

from __future__ import annotations

import re

import sqlalchemy as sa

from casework.audit.models import AuditEntry
from casework.auth.tokens import ApiToken, hash_secret
from tests.api.helpers import bearer
from tests.conftest import csrf_token, post_form, query

SECRET_RE = re.compile(r'<code id="new-token">(cw_[^<]+)</code>')


def test_a_user_makes_a_token_sees_it_once_and_revokes_it(app, client, seeded, make_user, login):
    mediator = make_user("mediator", area="GAO", lang="en")
    login(mediator)
    page = client.get("/account/tokens")
    assert page.status_code == 200
    made = post_form(
        client, "/account/tokens", {"name": "Tablette Gao", "scope": "read", "days": "30"}
    )
    assert made.status_code == 200
    secret = SECRET_RE.search(made.get_data(as_text=True)).group(1)
    stored = query(app, sa.select(ApiToken.token_hash, ApiToken.scope)).one()
    assert stored == (hash_secret(secret), "read")
    assert secret not in client.get("/account/tokens").get_data(as_text=True)

    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/tokens")})
    assert client.get("/api/v1/cases", headers=bearer(secret)).status_code == 200

    login(mediator)
    token_id = query(app, sa.select(ApiToken.id)).scalar()
    revoked = post_form(client, f"/account/tokens/{token_id}/revoke", page="/account/tokens")
    assert revoked.status_code == 302
    assert client.get("/api/v1/cases", headers=bearer(secret)).status_code == 401
    actions = (
        query(app, sa.select(AuditEntry.action).where(AuditEntry.object_type == "api_tokens"))
        .scalars()
        .all()
    )
    assert sorted(actions) == ["change", "create"]


def test_a_token_expires_within_a_year(app, client, seeded, make_user, login):
    login(make_user("mediator", area="GAO", lang="en"))
    refused = post_form(
        client, "/account/tokens", {"name": "Forever", "scope": "read-write", "days": "4000"}
    )
    assert refused.status_code == 400
    assert query(app, sa.select(sa.func.count(ApiToken.id))).scalar() == 0


def test_an_administrator_makes_and_revokes_a_users_token(app, client, seeded, make_user, admin):
    mediator = make_user("mediator", area="GAO")
    path = f"/admin/users/{mediator.id}/tokens"
    made = post_form(client, path, {"name": "Script", "scope": "read-write", "days": "10"})
    secret = SECRET_RE.search(made.get_data(as_text=True)).group(1)
    owner = query(app, sa.select(ApiToken.user_id)).scalar()
    assert owner == mediator.id
    token_id = query(app, sa.select(ApiToken.id)).scalar()
    post_form(client, f"{path}/{token_id}/revoke", page=path)
    assert client.get("/api/v1/cases", headers=bearer(secret)).status_code == 401


def test_another_users_token_cannot_be_revoked_by_a_user(app, client, seeded, make_user, login):
    owner = make_user("mediator", area="GAO")
    other = make_user("mediator", area="GAO")
    login(owner)
    post_form(client, "/account/tokens", {"name": "Mine", "scope": "read", "days": "5"})
    token_id = query(app, sa.select(ApiToken.id)).scalar()
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/tokens")})
    login(other)
    refused = post_form(client, f"/account/tokens/{token_id}/revoke", page="/account/tokens")
    assert refused.status_code == 404
    assert query(app, sa.select(ApiToken.revoked_at)).scalar() is None
