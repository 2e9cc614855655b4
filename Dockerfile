# One image for web and workers (docker-compose.yml picks the command).
FROM node:20-slim AS frontend-libraries
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=coverapp.settings.production \
    COVERAPP_MEDIA_ROOT=/data/media \
    COVERAPP_STATIC_ROOT=/app/staticfiles
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=frontend-libraries /app/node_modules ./node_modules
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && useradd --create-home --uid 1000 coverapp \
    && mkdir -p /data/media /app/var && chown -R coverapp /data/media /app/var
USER coverapp
EXPOSE 8000
CMD ["gunicorn", "coverapp.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
