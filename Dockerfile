FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORTAL_ENV=production \
    PORTAL_INSTANCE_PATH=/data \
    BIND=0.0.0.0:8080

WORKDIR /app
COPY pyproject.toml README.md ./
COPY portal ./portal
COPY templates ./templates
COPY static ./static
COPY landing_pages ./landing_pages
RUN pip install --no-cache-dir . && useradd --create-home portal && mkdir -p /data \
    && chown portal /data
USER portal

EXPOSE 8080
# fly.toml starts the web and worker processes from this image.
CMD ["sh", "-c", "portal db upgrade && gunicorn -c python:portal.gunicorn_conf"]
