"""What every page needs: the footer texts staff edit."""

from .models import SiteSettings


def site(request) -> dict:
    return {"site_settings": SiteSettings.get_solo()}
