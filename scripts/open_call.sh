#!/usr/bin/env bash
# Calls the open platform's signed API as a game does (PROTOCOL.md §2, signature v1.0): the six
# x-bili-* headers, sorted, "name:value" joined by newlines, HMAC-SHA256 under the app's secret.
#
#   export BARRAGE_OPEN_KEY_ID=... BARRAGE_OPEN_SECRET=...   # `barrage serve` logs the demo app's
#   scripts/open_call.sh /v2/app/start '{"code":"<identity code>","app_id":<app_id>}'
#   scripts/open_call.sh /v2/app/heartbeat '{"game_id":"<game_id>"}'       # every 20 s
#   scripts/open_call.sh /v2/app/end '{"app_id":<app_id>,"game_id":"<game_id>"}'
#
# BARRAGE_URL (default http://127.0.0.1:8080) is the server. Needs curl and openssl.
set -euo pipefail
if [[ $# -ne 2 ]]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
path=$1 body=$2
key=${BARRAGE_OPEN_KEY_ID:?set BARRAGE_OPEN_KEY_ID to the access_key_id}
secret=${BARRAGE_OPEN_SECRET:?set BARRAGE_OPEN_SECRET to the access_key_secret}
url=${BARRAGE_URL:-http://127.0.0.1:8080}
md5=$(printf '%s' "$body" | openssl dgst -md5 -r | cut -d' ' -f1)
nonce=$(openssl rand -hex 16)
timestamp=$(date +%s)
canonical=$(printf 'x-bili-accesskeyid:%s\nx-bili-content-md5:%s\nx-bili-signature-method:HMAC-SHA256\nx-bili-signature-nonce:%s\nx-bili-signature-version:1.0\nx-bili-timestamp:%s' \
  "$key" "$md5" "$nonce" "$timestamp")
signature=$(printf '%s' "$canonical" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)
curl -sS -X POST "$url$path" \
  -H 'Content-Type: application/json' -H 'Accept: application/json' \
  -H "x-bili-accesskeyid: $key" -H "x-bili-content-md5: $md5" \
  -H 'x-bili-signature-method: HMAC-SHA256' -H "x-bili-signature-nonce: $nonce" \
  -H 'x-bili-signature-version: 1.0' -H "x-bili-timestamp: $timestamp" \
  -H "Authorization: $signature" \
  --data-binary "$body"
echo
