# syntax=docker/dockerfile:1.7
#
# Monocto Moderation: one image for every role (API, Celery worker, migrations); the command
# picks the role. Build and run:
#
#   docker build -t monocto/moderation:0.1.0 .
#   docker run --rm -p 8000:8000 -e MODERATION_JWT_SECRET="$(openssl rand -base64 48)" \
#     -v moderation-data:/data monocto/moderation:0.1.0
#
# compose.yml runs the whole topology; docs/operations.md explains it. Everything the image
# needs is in the locked wheels (the models ship inside the package), so a container never
# downloads anything at run time.

ARG PYTHON_IMAGE=python:3.11-slim
ARG UV_VERSION=0.13.9

# --- builder: install exactly uv.lock (no dev tools) into /app/.venv ----------------------
FROM ${PYTHON_IMAGE} AS builder
ARG UV_VERSION
# uv from PyPI rather than an image copy, so a mirror of PyPI is the only thing a build needs.
RUN pip install --no-cache-dir --disable-pip-version-check "uv==${UV_VERSION}"
# The venv must use the interpreter of the runtime stage (same base image, same path), never
# one uv downloads. Byte-code is compiled here: the runtime venv is read-only to the app user.
ENV UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy
WORKDIR /src
# Dependencies first, in their own layer: a source change does not reinstall numpy & co.
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-project
# Then the project itself, as a regular (not editable) install: the runtime stage copies only
# the venv, not /src. README.md is the package's declared readme, so the build needs it.
COPY README.md ./
COPY src ./src
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable \
 && /app/.venv/bin/moderation --help >/dev/null \
 && /app/.venv/bin/python -c "from moderation.ml.artifacts import ModelRegistry; ModelRegistry().resolve(None)"

# --- runtime: slim, non-root, no build tools -----------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="monocto-moderation" \
      org.opencontainers.image.description="Self-hostable AI content moderation service" \
      org.opencontainers.image.licenses="Apache-2.0"

# A fixed uid/gid, so volume ownership is predictable across hosts and rebuilds.
RUN groupadd --system --gid 10001 moderation \
 && useradd --system --uid 10001 --gid moderation --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin moderation \
 && mkdir -p /data /models \
 && chown moderation:moderation /data /models

# Owned by root: the service cannot rewrite its own code or models.
COPY --from=builder /app/.venv /app/.venv

ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HF_HUB_OFFLINE=1 \
    MODERATION_DATA_DIR=/data \
    MODERATION_MODELS_DIR=/models \
    MODERATION_HOST=0.0.0.0 \
    MODERATION_PORT=8000

WORKDIR /app
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000

# Liveness only (no database, no models): orchestrators route on /health/ready instead.
# The slim image has no curl, so the probe is the venv's own Python.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ.get('MODERATION_PORT', '8000'); sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/health/live', timeout=4).status == 200 else 1)"]

# The API. Workers run the same image with `moderation worker`, migrations with
# `moderation db upgrade`.
CMD ["moderation", "serve", "--host", "0.0.0.0"]
