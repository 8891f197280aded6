"""What every page needs: the footer texts staff edit."""

from eye_site.cache import per_content_version

from .models import SiteSettings


def site(request) -> dict:
    # Read once per content version in each process (saving the settings sets a new one): a
    # query less for every page the page cache renders.
    return {"site_settings": per_content_version("site-settings", SiteSettings.get_solo)}
