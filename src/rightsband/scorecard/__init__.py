"""Country scorecards: every index's band for one country on one page.

:mod:`~rightsband.scorecard.definition` (what a card shows: ``--column`` options or a card
file), :mod:`~rightsband.scorecard.data` (the records, by country and year, of one table),
:mod:`~rightsband.scorecard.files` (the records and lines of publishers' files, through the panel),
:mod:`~rightsband.scorecard.build` (classifying each line with the engine),
:mod:`~rightsband.scorecard.card` (the built card, plain data), :mod:`~rightsband.scorecard.pictures`
(palette, scale bar, history runs), and one renderer per format:
:mod:`~rightsband.scorecard.terminal`, :mod:`~rightsband.scorecard.markdown`,
:mod:`~rightsband.scorecard.html` (jinja2, autoescaped) and JSON (:meth:`Card.as_dict`), each reached
through :mod:`~rightsband.scorecard.render`.
"""

from rightsband.scorecard.build import CardBuilder, build_card
from rightsband.scorecard.card import Card
from rightsband.scorecard.data import CardData, CountryError, read_card_data
from rightsband.scorecard.definition import CardDefinition, CardError, check_card, from_specs, read_card

__all__ = ["Card", "CardBuilder", "CardData", "CardDefinition", "CardError", "CountryError", "build_card", "check_card",
           "from_specs", "read_card", "read_card_data"]
