"""The local test server: validators and 304, fail-then-succeed, redirects, generated index."""
import urllib.error
import urllib.request


from parser.scrape.server import serving


def get(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def test_etag_304_fail_rule_redirect_and_index(tmp_path):
    (tmp_path / "a.html").write_text("<html><body>甲</body></html>", "utf-8")
    (tmp_path / "_hidden.txt").write_text("x", "utf-8")
    rules = {"/flaky.html": {"fail": 503, "times": 1}, "/old": {"redirect": "/a.html"}}
    (tmp_path / "flaky.html").write_text("ok", "utf-8")
    with serving(tmp_path, rules=rules, index="/_idx") as site:
        status, body, headers = get(site.url + "/a.html")
        assert status == 200 and "甲" in body.decode("utf-8")
        assert get(site.url + "/a.html", {"If-None-Match": headers["ETag"]})[0] == 304
        assert get(site.url + "/a.html", {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
        assert get(site.url + "/flaky.html")[0] == 503 and get(site.url + "/flaky.html")[0] == 200
        assert get(site.url + "/old")[1].decode("utf-8").endswith("</html>")      # followed by urllib
        assert get(site.url + "/_hidden.txt")[0] == 404 and get(site.url + "/nope")[0] == 404
        index = get(site.url + "/_idx")[1].decode("utf-8")
        assert 'href="/a.html"' in index and "_hidden" not in index
        assert site.count("/flaky.html", 503) == 1


def test_path_escape_is_refused(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "secret.txt").write_text("s", "utf-8")
    with serving(tmp_path / "site") as site:
        assert get(site.url + "/../secret.txt")[0] == 404
        assert get(site.url + "/%2e%2e/secret.txt")[0] == 404
