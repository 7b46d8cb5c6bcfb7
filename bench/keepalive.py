"""One request over a keep-alive connection, as a browser sends it: shared by the HTTP bench
(bench/served.py) and the load test's simulated users (bench/load_users.py)."""

from __future__ import annotations

import http.client
import urllib.parse

DROPPED = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


def connect(port: int, timeout: float) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)


def exchange(
    connection: http.client.HTTPConnection | None,
    port: int,
    timeout: float,
    method: str,
    path: str,
    *,
    form: dict | None,
    headers: dict[str, str],
    cookies: dict[str, str],
) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse, bytes]:
    """Send the request (a form is URL-encoded), keep the cookies the server sets, and return
    the connection to use next time with the response and its body. A connection the server
    closed while idle is opened again once: a browser reconnects too."""
    headers = dict(headers)
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    for attempt in (1, 2):
        if connection is None:
            connection = connect(port, timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            break
        except DROPPED:
            connection.close()
            connection = None
            if attempt == 2:
                raise
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _sep, rest = value.partition("=")
            cookies[key] = rest.split(";", 1)[0]
    return connection, response, data
