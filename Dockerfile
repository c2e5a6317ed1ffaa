# cartgate: the GraphQL gateway, one uvicorn worker per container (scale with replicas).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Installed from the project's own files; the sources are not kept in the image.
WORKDIR /src
COPY pyproject.toml README.md ./
COPY adapters ./adapters
COPY gateway ./gateway
COPY sandboxes ./sandboxes
RUN pip install . && rm -rf /src

RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin cartgate
USER cartgate
WORKDIR /home/cartgate

# Production: JSON logs, no introspection or GraphiQL (override CARTGATE_ENV to change).
ENV CARTGATE_ENV=production
EXPOSE 8000

# Liveness only: readiness (/readyz) depends on the vendors and Redis, and a container
# must not be restarted because a vendor is down.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]

CMD ["cartgate", "serve", "--host", "0.0.0.0", "--port", "8000"]
