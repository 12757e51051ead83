#!/usr/bin/env python3
"""api_seeds.py — writes the hand-made seeds of fuzz_api (docs/fuzzing.md):
one request per operation of docs/api/openapi.json (signed in as the demo's
admin, or under /citizen/ as the applicant of DOSSIER), with its
example body or one made from its schema, the path parameters of the demo
database fuzz_api makes (20 dossiers under the clock 2026-03-02T10:00+07:00),
and the documented query parameters; plus the requests written out below
(tus uploads, signed payment callbacks, Open311, reconciliation, actions).

    fuzz/tools/api_seeds.py fuzz/corpus/api
"""
import json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC = json.load(open(os.path.join(HERE, "..", "..", "docs", "api",
                                   "openapi.json")))
DOSSIER = "000.00.01.H51-260210-0002"       # processing
UNIT = "000.00.04.H51"
CENTRE = "000.00.01.H51"
PROC = "1.000656"
RESULT = "KQ-2ACF-GDFY-WZ4X-84CV"
SHA = "5387afb87af12704ea74655fdad2237e8e82b942ac7e50c2de67e0307a9b32ca"
NOW = 1772420400                             # 2026-03-02T10:00:00+07:00

STRINGS = {
    "phone": "0912345678", "id_number": "051095012345",
    "tax_code": "0100109106", "email": "an.nguyen@example.vn",
    "procedure_code": PROC, "unit_code": UNIT, "code": DOSSIER,
    "username": "fuzz.user", "password": "mat-khau-dai-du-12",
    "role": "specialist", "channel": "direct", "name": "Nguyễn Văn An",
    "address": "12 Lê Lợi, phường Cẩm Thành", "reason": "Thiếu giấy tờ",
    "note": "ghi chú", "platform": "gateway", "action": "accept",
    "kind": "person", "status": "paid", "url": "https://example.vn/hook",
}


def deref(s):
    seen = 0
    while isinstance(s, dict) and "$ref" in s and seen < 10:
        node = SPEC
        for part in s["$ref"].split("/")[1:]:
            node = node[part]
        s = node
        seen += 1
    return s


def make(schema, name="", depth=0):
    s = deref(schema)
    if not isinstance(s, dict) or depth > 5:
        return None
    if "example" in s:
        return s["example"]
    if "enum" in s:
        return s["enum"][0]
    if "default" in s:
        return s["default"]
    for key in ("oneOf", "anyOf", "allOf"):
        if key in s:
            return make(s[key][0], name, depth + 1)
    t = s.get("type")
    if isinstance(t, list):
        t = [x for x in t if x != "null"][0]
    if t == "object" or "properties" in s:
        props = s.get("properties", {})
        req = s.get("required", list(props))
        return {k: make(v, k, depth + 1) for k, v in props.items()
                if k in req or depth == 0}
    if t == "array":
        return [make(s.get("items", {}), name, depth + 1)]
    if t == "integer":
        return max(s.get("minimum", 1), 1)
    if t == "number":
        return 1.5
    if t == "boolean":
        return True
    fmt = s.get("format", "")
    if fmt == "date":
        return "2026-03-02"
    if fmt == "date-time":
        return "2026-03-02T10:00:00+07:00"
    return STRINGS.get(name, "x")


def path_value(path, name):
    if name == "code":
        if "/units/" in path or "/public/queue/" in path:
            return UNIT if "/queue" not in path else CENTRE
        if "/procedures/" in path:
            return PROC
        if "/results/" in path or "/verify" in path:
            return RESULT
        if "/bundle" in path:
            return "khai-sinh"
        if "/feedback/" in path:
            return "PA-2603-0001"
        return DOSSIER
    return {"id": "1", "number": "000001", "sha256": SHA,
            "platform": "gateway", "tax_code": "0100109106",
            "id_number": "051095012345", "component": "TP01",
            "name": "processing"}.get(name, "1")


QUERY = {"year": "2026", "start": "2026-03-02T10:00:00+07:00",
         "working_days": "3", "from": "2026-01-01", "to": "2026-03-01",
         "due": "2026-03-05T17:00:00+07:00", "date": "2026-03-02",
         "limit": "5", "q": "khai sinh", "period": "month",
         "phone_last4": "5678", "status": "processing",
         "purpose": "intake", "procedure": PROC, "sha256": SHA,
         "copies": "2", "return_to": "/citizen", "group_by": "unit"}


def request(method, target, headers, body=b""):
    head = "%s %s\n" % (method, target)
    for h in headers:
        head += h + "\n"
    if isinstance(body, str):
        body = body.encode()
    return head.encode() + b"\n" + body


def name_of(method, path):
    n = (method + path).replace("/api/v1/", "-").replace("/", "-")
    for c in "{}.":
        n = n.replace(c, "")
    return n.strip("-").lower()[:80]


def main(out):
    os.makedirs(out, exist_ok=True)
    seeds = {}
    for path, ops in SPEC["paths"].items():
        for method, op in ops.items():
            if not isinstance(op, dict) or method == "parameters":
                continue
            target = path
            query = []
            for p in op.get("parameters", []):
                p = deref(p)
                if p.get("in") == "path":
                    target = target.replace("{%s}" % p["name"],
                                            path_value(path, p["name"]))
                elif p.get("in") == "query" and p["name"] in QUERY:
                    query.append("%s=%s" % (p["name"], QUERY[p["name"]]))
            if query:
                target += "?" + "&".join(query)
            if "/citizen/" in path or "/me/" in path:
                auth = ["Authorization: Bearer @citizen"]
            elif "/public/" in path or "/verify" in path or "open311" in path:
                auth = []
            else:
                auth = ["Authorization: Bearer @admin"]
            content = op.get("requestBody", {}).get("content", {})
            body = b""
            headers = list(auth)
            if "application/json" in content:
                c = content["application/json"]
                doc = c.get("example")
                if doc is None:
                    doc = make(c.get("schema", {}))
                body = json.dumps(doc, ensure_ascii=False)
                headers.append("Content-Type: application/json")
            seeds[name_of(method.upper(), path)] = request(
                method.upper(), target, headers, body)

    admin = "Authorization: Bearer @admin"
    json_ct = "Content-Type: application/json"
    extra = {
        "tus-create": request("POST", "/api/v1/uploads", [
            admin, "Tus-Resumable: 1.0.0", "Upload-Length: 11",
            "Upload-Metadata: filename ZG9uLnBkZg==,filetype "
            "YXBwbGljYXRpb24vcGRm"]),
        "tus-create-defer": request("POST", "/api/v1/uploads", [
            admin, "Tus-Resumable: 1.0.0", "Upload-Defer-Length: 1",
            "Upload-Metadata: filename,empty"]),
        "tus-patch": request("PATCH", "/api/v1/uploads/1", [
            admin, "Tus-Resumable: 1.0.0", "Upload-Offset: 0",
            "Content-Type: application/offset+octet-stream"],
            "hello world"),
        "tus-patch-bad-offset": request("PATCH", "/api/v1/uploads/1", [
            admin, "Tus-Resumable: 1.0.0", "Upload-Offset: -1",
            "Content-Type: application/offset+octet-stream"], "x"),
        "tus-head": request("HEAD", "/api/v1/uploads/1", [
            admin, "Tus-Resumable: 1.0.0"]),
        "tus-options": request("OPTIONS", "/api/v1/uploads", []),
        "files-range": request("GET", "/api/v1/files/" + SHA, [
            admin, "Range: bytes=0-99"]),
        "callback-signed": request("POST",
            "/api/v1/payments/callbacks/gateway", [
            "X-Motcua-Timestamp: %d" % NOW,
            "X-Motcua-Nonce: nonce-0123456789abcdef",
            "X-Motcua-Signature: @sign", json_ct],
            json.dumps({"transaction_id": "GW-1", "reference": DOSSIER,
                        "amount": 150000, "status": "paid",
                        "paid_at": "2026-03-02T09:30:00+07:00",
                        "payer": "Nguyễn Văn An"}, ensure_ascii=False)),
        "callback-dvcqg-failed": request("POST",
            "/api/v1/payments/callbacks/dvcqg", [
            "X-Motcua-Timestamp: %d" % (NOW - 30),
            "X-Motcua-Nonce: nonce-dvcqg-00000001",
            "X-Motcua-Signature: @sign", json_ct],
            '{"transaction_id": "D-1", "reference": "x", "amount": 1, '
            '"status": "failed", "reason": "het han"}'),
        "callback-bad-signature": request("POST",
            "/api/v1/payments/callbacks/gateway", [
            "X-Motcua-Timestamp: %d" % NOW,
            "X-Motcua-Nonce: nonce-0123456789abcdef",
            "X-Motcua-Signature: sha256=" + "0" * 64, json_ct], "{}"),
        "open311-create": request("POST", "/open311/v2/requests.json", [
            "Content-Type: application/x-www-form-urlencoded"],
            "service_code=procedure&description=Ch%E1%BB%9D+"
            "qu%C3%A1+l%C3%A2u&first_name=An&last_name=Nguyen&phone="
            "0912345678&email=an%40example.vn&lat=15.12&long=108.8"),
        "open311-list": request("GET", "/open311/v2/requests.json?"
            "service_request_id=1,2,3&status=open", []),
        "reconcile-gateway": request("POST",
            "/api/v1/payments/reconciliation?platform=gateway&date="
            "2026-03-02", [admin, "Content-Type: text/csv"],
            "transaction_id,reference,amount,paid_at\r\nGW-1,%s,150000,"
            "2026-03-02T09:30:00+07:00\r\n" % DOSSIER),
        "reconcile-bank": request("POST",
            "/api/v1/payments/reconciliation?platform=bank", [
            admin, "Content-Type: text/csv"],
            'transaction_id,description,amount,paid_at\nB1,"TT %s nop le phi",150000,'
            "2026-03-02T09:30:00+07:00\n" % DOSSIER),
        "action-forward": request("POST",
            "/api/v1/dossiers/%s/actions" % DOSSIER, [
            "Authorization: Bearer @staff", json_ct],
            '{"action": "forward", "note": "trình lãnh đạo"}'),
        "action-supplement": request("POST",
            "/api/v1/dossiers/000.00.01.H51-260210-0001/actions", [
            "Authorization: Bearer @counter", json_ct],
            '{"action": "request_supplement", "reason": "Thiếu CCCD", '
            '"missing": ["TP01"]}'),
        "intake-idempotent": request("POST", "/api/v1/dossiers", [
            "Authorization: Bearer @counter", json_ct,
            "Idempotency-Key: fuzz-0001"],
            json.dumps({"procedure_code": PROC, "channel": "direct",
                        "applicant": {"kind": "person",
                                      "id_number": "051095012345",
                                      "name": "Nguyễn Văn An",
                                      "phone": "0912 345 678",
                                      "address": "12 Lê Lợi"},
                        "components": [{"code": "TP01",
                                        "provided": True}]},
                       ensure_ascii=False)),
        "query-encoded": request("GET", "/api/v1/procedures?q=c%E1%BA%A5p"
            "+phi%E1%BA%BFu&limit=3&limit=4&x", [admin]),
        "query-bad-percent": request("GET", "/api/v1/units?q=%ZZ%&cursor="
            "%00", [admin]),
        "calendar-due-pause": request("GET", "/api/v1/calendar/due?start="
            "2026-02-13T10:00:00%2B07:00&working_days=3&pause="
            "2026-02-16T08:00:00%2B07:00/2026-02-17T08:00:00%2B07:00", []),
        "calendar-elapsed": request("GET", "/api/v1/calendar/elapsed?from="
            "2026-02-13T10:00:00Z&to=2026-03-02T10:00:00Z&due="
            "2026-02-25T17:00:00%2B07:00", []),
        "login-bad-json": request("POST", "/api/v1/auth/login", [json_ct],
            '{"username": "admin", "password": '),
        "login-wrong-type": request("POST", "/api/v1/auth/login",
            ["Content-Type: text/plain"], "admin"),
        "public-lookup": request("GET", "/api/v1/public/dossiers/%s?"
            "phone_last4=0000" % DOSSIER, []),
    }
    seeds.update(extra)
    # The writes again as the counter officer (the admin may not do them).
    for name, data in list(seeds.items()):
        if b"Bearer @admin" in data and not data.startswith(b"GET"):
            seeds[name + "-counter"] = data.replace(b"Bearer @admin",
                                                    b"Bearer @counter", 1)
    for name, data in seeds.items():
        with open(os.path.join(out, "seed-" + name), "wb") as f:
            f.write(data)
    print("api_seeds: %d seeds in %s" % (len(seeds), out))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "fuzz/corpus/api")
