# The production image: gunicorn serving the site, static files by WhiteNoise (see docs/deploy.md).
# Build stage: dependencies into a virtualenv, translations compiled, static files collected.
FROM python:3.11-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

# gettext's msgfmt compiles the translations; it stays in this stage.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext=0.21-12 \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /app
# Dependencies first, so a code change reuses this layer.
COPY pyproject.toml README.md ./
RUN pip install --no-compile .

COPY . .
# Build-time values only: the running container gets its own from the environment.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py compilemessages --ignore=.venv -v 0 \
    && SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --no-input -v 0 \
    && find locale -name "*.po" -delete

# Final stage: the runtime only, no compilers or build tools, running as an unprivileged user.
FROM python:3.11-slim-bookworm

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=eye_site.settings \
    MEDIA_ROOT=/var/lib/eye/media \
    PORT=8000

# pg_dump and pg_restore for `manage.py backup` / `restore` run from this image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client=15+248+deb12u2 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 eye \
    && useradd --system --uid 10001 --gid eye --home-dir /app --shell /usr/sbin/nologin eye \
    && mkdir -p /var/lib/eye/media \
    && chown eye:eye /var/lib/eye/media

COPY --from=build /opt/venv /opt/venv
# The code belongs to root and is read-only to the process; only media is writable.
COPY --from=build /app /app
WORKDIR /app
USER 10001:10001

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]
# The web server. A worker of the task queue is this image with another command (docs/deploy.md):
#   docker run --env-file prod.env --no-healthcheck IMAGE python manage.py worker
CMD ["gunicorn", "--config", "gunicorn.conf.py", "eye_site.wsgi:application"]
