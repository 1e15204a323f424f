# Production image: gunicorn serves the portal; the same image runs the Celery worker and beat (docker-compose.yml).

# Front-end libraries (Chart.js) from the npm registry, pinned by package-lock.json; only their files are kept.
FROM node:20-bookworm-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Pango and HarfBuzz for WeasyPrint; DejaVu, Liberation and Noto cover every Ukrainian and Russian letter
# (і, ї, є, ґ, ’), so PDFs never fall back to empty boxes; fontconfig builds the system font cache once here, since
# the app user cannot write one of its own; gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fontconfig fonts-dejavu-core fonts-liberation2 fonts-noto-core \
        gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --home-dir /app --no-create-home portal

WORKDIR /app

COPY requirements-prod.lock ./
# The lock file pins every package: --no-deps lets nothing unpinned in, pip check proves nothing is missing.
RUN pip install --no-deps -r requirements-prod.lock && pip check

COPY . .
COPY --from=assets /assets/node_modules ./node_modules

# Build-time values only, so that settings load with DEBUG off; the real keys come from the environment at run time.
RUN python manage.py compilemessages --ignore=.venv \
    && DEBUG=false \
       SECRET_KEY=build-only-not-secret-0000000000000000000000000000000000 \
       FIELD_ENCRYPTION_KEY=YnVpbGQtdGltZS1vbmx5LW5vdC1hLXJlYWwta2V5ISE= \
       WHISTLEBLOWER_RECEIPT_PEPPER=build-only-not-secret \
       python manage.py collectstatic --noinput --verbosity=0

# The code stays owned by root and read-only for the app; only the private storage volume is writable.
ENV PRIVATE_STORAGE_ROOT=/data/private \
    WEB_CONCURRENCY=3
RUN mkdir -p /data/private && chown portal:portal /data/private
VOLUME ["/data/private"]

USER portal
EXPOSE 8000

# No --access-logfile on purpose: gunicorn then writes no access log, so no client addresses of whistleblowers
# are ever recorded. Workers come from WEB_CONCURRENCY.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--timeout", "60", \
     "--max-requests", "1000", "--max-requests-jitter", "100"]
