#!/bin/sh
# temporal-setup job (temporalio/admin-tools): once the server answers, makes
# sure HAP's namespace exists and HAP's custom search attributes are registered
# in it (temporal.config.ts → searchAttributes; HAP_SEARCH_ATTRIBUTES lists them
# as Name=Type). Idempotent; the HAP processes that use Temporal start after it.
set -eu

address="${TEMPORAL_ADDRESS:?}"
namespace="${TEMPORAL_NAMESPACE:?}"
attributes="${HAP_SEARCH_ATTRIBUTES:?}"

# Runs "$@" until it succeeds, every 2 s, for up to 2 minutes.
retry() {
  attempt=0
  until "$@"; do
    attempt=$((attempt + 1))
    if [ "$attempt" -ge 60 ]; then echo "temporal-setup: gave up on: $*" >&2; return 1; fi
    sleep 2
  done
}

ensure_namespace() {
  temporal operator namespace describe --namespace "$namespace" --address "$address" >/dev/null 2>&1 ||
    temporal operator namespace create --namespace "$namespace" --address "$address"
}

registered() {
  temporal operator search-attribute list --namespace "$namespace" --address "$address" | grep -qw "$1"
}

# Checks first, so that a retry after a create whose answer was lost does not fail on "already exists".
ensure_attribute() {
  registered "$1" || temporal operator search-attribute create --namespace "$namespace" --address "$address" --name "$1" --type "$2"
}

echo "temporal-setup: waiting for the Temporal frontend at $address"
retry temporal operator cluster health --address "$address"
retry ensure_namespace
for pair in $attributes; do
  name="${pair%%=*}"
  type="${pair#*=}"
  retry ensure_attribute "$name" "$type"
done
for pair in $attributes; do
  retry registered "${pair%%=*}"
done
echo "temporal-setup: namespace '$namespace' with search attributes: $attributes"
