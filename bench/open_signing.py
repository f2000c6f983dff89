"""Signature v1.0 of the open platform (PROTOCOL.md §2) for the bench scripts: the six x-bili-*
headers, sorted, joined with newlines and HMAC-SHA256'd with the app's secret."""
import hashlib, hmac, os, time


def signed(key_id, secret, body):
    headers = {
        "x-bili-accesskeyid": key_id,
        "x-bili-content-md5": hashlib.md5(body.encode()).hexdigest(),
        "x-bili-signature-method": "HMAC-SHA256",
        "x-bili-signature-nonce": os.urandom(12).hex(),
        "x-bili-signature-version": "1.0",
        "x-bili-timestamp": str(int(time.time())),
    }
    canonical = "\n".join(f"{name}:{headers[name]}" for name in sorted(headers))
    headers["Authorization"] = hmac.new(secret.encode(), canonical.encode(), hashlib.sha256).hexdigest()
    headers["Content-Type"] = "application/json"
    headers["Accept"] = "application/json"
    return headers
