"""Connection strings with their secrets masked: the one function every message goes through.

`mask_connection(text)` finds, anywhere in `text` (an error message, a driver's error, a log
line), the secrets of every connection-string form a database driver accepts and replaces them
with `***`:

- URIs, any scheme (`postgresql://`, `postgres://`, `snowflake://`, `databricks://`, ...): the
  password of `scheme://user:password@host`. A password written raw may hold `#`, `/`, `?`,
  `@`, `:` (which break `urllib.parse`) or even a space, so the user information is taken to run
  from `://` to the LAST `@` of the URI (a host never holds one): everything before that `@`
  after the first `:` is masked, whatever its characters, percent-encoded or not. A `:` with no
  `@` after it that is not a port (`user:secret` cut off, or a password with a raw space) is
  masked to the end of the word, or to the next `@` on the line.
- secret query parameters of a URI (`?password=`, `sslpassword=`, `passfile=`, `token=`,
  `access_token=`, `secret=`, `private_key_pwd=`, `api_key=`, `sig=`, ...): the value, up to the
  next `&` or space.
- key=value connection strings (libpq conninfo, ODBC-style `PWD=...;`): the value of each secret
  key, bare (`password=abc`, `password = abc`, with backslash escapes) or quoted
  (`password='a b\\' c'`, `"..."`, `{...}`), and `"password": "..."` in JSON text.

`secrets_of(conn)` lists the secrets of a connection string the caller knows (raw, percent-
decoded and percent-encoded), so a driver message that echoes a password without its URI
(`invalid percent-encoded token: "..."`) is masked too: pass them as `mask_connection(text,
secrets)`. `check_uri(uri)` refuses a URI whose password holds characters drivers misread, before
any driver sees (and echoes) it.

Masking errs on the side of hiding too much: an `@` later in the same word (a query parameter
holding an e-mail address) hides the host too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, unquote

MASK = "***"
#: known secrets shorter than this are not replaced on their own (they would mangle the text);
#: their URIs and key=value pairs are still masked by form
MIN_SECRET_LENGTH = 4

# A key whose value is a secret: password, sslpassword, passwd, pwd, passfile, passphrase,
# secret, client_secret, token, access_token, credentials, api_key, private_key, sslkey, sig...
_SECRET_WORDS = r"pass|pwd|secret|token|credential|private|api[_\-]?key|access[_\-]?key|sslkey"
_KEY_CHARS = r"[A-Za-z0-9_.\-]"
# (bounded, so a long word in a message cannot make the search quadratic)
SECRET_KEY = rf"(?:{_KEY_CHARS}{{0,32}}(?:{_SECRET_WORDS}){_KEY_CHARS}{{0,32}}|sig|key)"
_SECRET_KEY_RE = re.compile(rf"(?i){SECRET_KEY}")

_SCHEME = re.compile(r"(?i)(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]*://")
# host[:port][,host[:port]...] (IPv6 in brackets): a ':' followed by a port is not a password
_HOSTS = re.compile(r"(?:\[[^\]]*\]|[^:@\[\],]*)(?::\d*)?(?:,(?:\[[^\]]*\]|[^:@\[\],]*)(?::\d*)?)*")
# ?password=...&: in a URI the value runs to the next '&' that starts another key=value (a raw
# '&' in the password is kept in it), or to a space
_QUERY_SECRET = re.compile(rf"(?i)([?&;]{SECRET_KEY}=)(?:[^&\s]|&(?!{_KEY_CHARS}{{1,64}}=))*")
# key=value outside a URI: quoted ('...' with \' escapes, "...", {...}), or bare up to a space.
# A quoted value goes on to a later quote on its line unless another `key=` comes first: in a
# repr() the backslashes are doubled, so an escaped quote would otherwise end the value early.
_MORE = r"(?:(?:(?!\s+[A-Za-z_][A-Za-z0-9_.\-]*\s*=)[^\n{q}])*{q})*"
_VALUE = (
    r"""(?:'(?:[^'\\]|\\.)*'?"""
    + _MORE.format(q="'")
    + r"""|"(?:[^"\\]|\\.)*"?"""
    + _MORE.format(q='"')
    + r"""|\{[^}]*\}?|(?:\\.|[^\s\\'"{])(?:\\.|[^\s\\])*)"""
)
_PAIR = re.compile(rf"(?is)(?<![A-Za-z0-9_.\-])({SECRET_KEY}\s*=\s*){_VALUE}?")
_JSON_PAIR = re.compile(rf"""(?is)(["']{SECRET_KEY}["']\s*:\s*){_VALUE}""")


def is_secret_key(name: str) -> bool:
    """Does an option or parameter called `name` hold a secret (password, token, key...)?"""
    return bool(_SECRET_KEY_RE.fullmatch(name.strip()))


_ALREADY_MASKED = re.compile(rf"{re.escape(MASK)}[:,;.)'\"]*")


def _masked_value(match: re.Match[str]) -> str:
    """key= and *** for a secret value; a value masked before (with the punctuation that
    followed it, e.g. the ':' before a driver's message) is kept, so masking twice changes
    nothing."""
    whole: str = match.group(0)
    key: str = match.group(1)
    if _ALREADY_MASKED.fullmatch(whole[len(key) :]):
        return whole
    return key + MASK


def _leading(pattern: str, text: str) -> str:
    """The start of `text` that `pattern` matches; the patterns used match the empty string, so there always is one."""
    found = re.match(pattern, text)
    return found.group() if found is not None else ""


def _userinfo_end(text: str, start: int, stop: int) -> int | None:
    """Where the user information of the URI whose authority starts at `start` ends (the index
    of its '@'), or None when it has no password to mask. `stop` is the end of the line (or the
    start of the next URI)."""
    word = _leading(r"\S*", text[start:stop])
    at = word.rfind("@")
    if at >= 0:
        return start + at
    authority = _leading(r"[^/?#]*", word)
    if ":" in authority and not _HOSTS.fullmatch(authority):
        # "user:secret" with no '@' in the word: a raw space in the password, or a cut-off URI
        later = text.rfind("@", start + len(word), stop)
        return later if later >= 0 else start + len(word)
    return None


def _mask_uri_at(text: str, start: int, stop: int) -> tuple[str, int]:
    """(the URI whose authority starts at `start`, masked; where its word ends)."""
    end = _userinfo_end(text, start, stop)
    out = ""
    rest_from = start
    if end is not None:
        userinfo = text[start:end]
        user, sep, _ = userinfo.partition(":")
        if sep and re.search(r"\s", user) is None:
            out = f"{user}:{MASK}"
        elif sep:  # a ':' only after a space: keep nothing of it
            out = MASK
        else:
            out = userinfo
        rest_from = end
    word_end = rest_from + len(_leading(r"\S*", text[rest_from:stop]))
    out += _QUERY_SECRET.sub(_masked_value, text[rest_from:word_end])
    return out, word_end


def _mask_uris(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Text with every URI's secrets masked, and the spans (in the output) the URIs occupy."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    length = 0
    while (m := _SCHEME.search(text, pos)) is not None:
        start = m.end()
        line = text.find("\n", start)
        stop = len(text) if line < 0 else line
        following = _SCHEME.search(text, start)
        if following is not None and following.start() < stop:
            stop = following.start()
        masked, word_end = _mask_uri_at(text, start, stop)
        before = text[pos : m.end()]
        out.append(before)
        length += len(before)
        span_start = length - len(m.group())
        out.append(masked)
        length += len(masked)
        spans.append((span_start, length))
        pos = word_end  # >= start, so the next search starts after this scheme
    out.append(text[pos:])
    return "".join(out), spans


def _mask_pairs(text: str) -> str:
    """key=value secrets (and "key": "value") outside URIs."""
    text = _JSON_PAIR.sub(_masked_value, text)
    return _PAIR.sub(_masked_value, text)


def mask_connection(text: object, secrets: Iterable[str] = ()) -> str:
    """`text` with every connection-string secret in it replaced by ***.

    `secrets` are known secret values (from `secrets_of`) to replace wherever they appear,
    also outside any connection string (a driver quoting a password it could not parse).
    """
    text = "" if text is None else str(text)
    for secret in sorted(set(secrets), key=len, reverse=True):
        if len(secret) >= MIN_SECRET_LENGTH:
            text = text.replace(secret, MASK)
    masked, spans = _mask_uris(text)
    if not spans:
        return _mask_pairs(masked)
    pieces = []
    pos = 0
    for start, end in spans:
        pieces.append(_mask_pairs(masked[pos:start]))
        pieces.append(masked[start:end])
        pos = end
    pieces.append(_mask_pairs(masked[pos:]))
    return "".join(pieces)


def _forms(value: str) -> list[str]:
    """A secret as written, percent-decoded, and percent-encoded (drivers echo any of them)."""
    decoded = unquote(value)
    return [value, decoded, quote(decoded, safe=""), quote(value, safe="")]


def _unquote_conninfo(value: str) -> str:
    quoted = len(value) >= 2 and value[0] == value[-1] and value[0] in "'\""
    if quoted or (value[:1] == "{" and value[-1:] == "}"):
        value = value[1:-1]
    return re.sub(r"\\(.)", r"\1", value)


def secrets_of(conn: str | None) -> list[str]:
    """Every secret in a connection string (URI or key=value), in the forms a driver may echo."""
    if not conn:
        return []
    found: list[str] = []
    m = _SCHEME.match(conn.strip())
    if m is not None:
        body = conn.strip()[m.end() :]
        at = body.rfind("@")
        if at >= 0:
            _, sep, password = body[:at].partition(":")
            if sep and password:
                found.append(password)
            body = body[at + 1 :]
        _, _, query = body.partition("?")
        for part in re.split(rf"[&;](?={_KEY_CHARS}+=)", query):
            key, sep, value = part.partition("=")
            if sep and value and is_secret_key(key):
                found.append(value)
    else:
        for pair in re.finditer(rf"(?is)(?<![A-Za-z0-9_.\-])({SECRET_KEY})\s*=\s*({_VALUE})", conn):
            raw = pair.group(2)
            found += [raw, _unquote_conninfo(raw)]
    out: list[str] = []
    for value in found:
        for form in _forms(value):
            if form and form not in out:
                out.append(form)
    return out


class UnsafeConnectionString(ValueError):
    """A URI whose password holds characters drivers misread (and would echo in their errors).

    The message never quotes the URI."""


_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def check_uri(uri: str) -> None:
    """Refuse a URI whose user name or password would be misread by a driver.

    libpq takes the user information to end at the first '@' or '/', so a raw '@' or '/' in a
    password sends the rest of it to the host, port or database name, and the driver's error
    then quotes those pieces; '#' and '?' end it for other parsers; a space or a bad '%' escape
    is quoted back whole in libpq's own error. Percent-encoded, they are read as written. The
    user information runs to the last '@' (as `mask_connection` reads it), so an '@' after the
    host (a query parameter holding an e-mail address) must be written %40 too when the URI has
    a password. A query parameter without '=' beside a secret parameter is a raw '&' in it.
    """
    m = _SCHEME.match(uri.strip())
    if m is None:
        return
    body = uri.strip()[m.end() :]
    at = body.rfind("@")
    if at >= 0:
        userinfo = body[:at]
        if ":" in userinfo and re.search(r"[@/?#\s]", userinfo):
            raise UnsafeConnectionString(
                "the user name or password in 'uri' holds a character that must be "
                "percent-encoded: write '@' as %40 (also an '@' after the host, when a ':' "
                "comes before it), '/' as %2F, '?' as %3F, '#' as %23 and a space as %20"
            )
        if ":" in userinfo and _BAD_PERCENT.search(userinfo):
            raise UnsafeConnectionString(
                "the user name or password in 'uri' has a '%' that does not start a "
                "percent-encoded character: write '%' itself as %25"
            )
        body = body[at + 1 :]
    _, _, query = body.partition("?")
    parts = [p for p in query.split("&") if p]
    if any(is_secret_key(p.partition("=")[0]) for p in parts if "=" in p) and any(
        "=" not in p for p in parts
    ):
        raise UnsafeConnectionString(
            "a query parameter of 'uri' has no '=', so a secret parameter's value probably "
            "holds a raw '&': write it as %26"
        )
