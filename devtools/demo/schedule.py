"""How demo and benchmark schedules vary their screenings, so both show every ticket state."""

from screenings.models import TicketStatus


def ticket_status(number: int, auditorium_slug: str) -> TicketStatus:
    """A fixed mix by the screening's running number: mostly on sale, some scarce or gone."""
    if number % 17 == 0:
        return TicketStatus.CANCELLED
    if number % 11 == 0:
        return TicketStatus.SOLD_OUT
    if number % 7 == 0:
        return TicketStatus.FEW_LEFT
    if auditorium_slug == "cinema-4" and number % 5 == 0:
        return TicketStatus.FREE
    return TicketStatus.ON_SALE
