"""Settings as production gets them: `check --deploy` is clean, and bad configuration is loud."""

from .conftest import manage, production_env


def test_check_deploy_reports_no_warnings_with_production_settings():
    env = production_env(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/eye",
        CACHE_URL="redis://127.0.0.1:6379/0",
    )
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_refuses_without_csrf_trusted_origins():
    env = production_env()
    env.pop("CSRF_TRUSTED_ORIGINS")
    result = manage("check", "--deploy", env=env, check=False)
    assert result.returncode != 0
    assert "CSRF_TRUSTED_ORIGINS is not set" in result.stderr


def test_no_secret_key_no_start():
    env = production_env()
    env.pop("SECRET_KEY")
    result = manage("check", env=env, check=False)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_no_allowed_hosts_no_start():
    env = production_env()
    env.pop("ALLOWED_HOSTS")
    result = manage("check", env=env, check=False)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    script = "from django.conf import settings; print(settings.DEBUG)"
    result = manage("shell", "-c", script, env=production_env())
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_media_go_to_s3_compatible_storage_behind_a_cdn_when_a_bucket_is_named():
    env = production_env(
        AWS_STORAGE_BUCKET_NAME="eye-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.net",
        MEDIA_CDN_DOMAIN="media.cinema.example.org",
    )
    script = (
        "from django.core.files.storage import storages; from django.conf import settings;"
        "s = storages['default'];"
        "print(type(s).__name__, s.url('posters/cranes.jpg'), settings.SERVE_MEDIA,"
        " settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    result = manage("shell", "-c", script, env=env)
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith("S3Storage https://media.cinema.example.org/posters/cranes.jpg False")
    assert "https://media.cinema.example.org" in line


def test_production_settings_have_no_development_tools():
    """The demo loader, the benchmark data and the demo admin do not exist for a live site."""
    for command in ("load_demo", "make_bench_data", "ensure_demo_admin"):
        result = manage(command, env=production_env(), check=False)
        assert result.returncode != 0
        assert f"Unknown command: '{command}'" in result.stderr
