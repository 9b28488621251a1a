# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The rank of a Romanian locality (Legea 351/2001), which with the zone
the council draws gives the correction coefficient of the building and
land taxes (Codul fiscal art. 457 (6), art. 465; ro.md §2.2)"""
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval

RANKS = [
    (None, ""),
    ('0', "0"),
    ('I', "I"),
    ('II', "II"),
    ('III', "III"),
    ('IV', "IV"),
    ('V', "V"),
    ]
# The zones of Năvodari are drawn by its council (HCL) on the street
# nomenclature; the decision was not found (ro.md §8): the demo's zones are
# illustrative, the four letters of the law (art. 457 (6)) only
NAVODARI_ZONES = [
    ('A', "Zona A"),
    ('B', "Zona B"),
    ('C', "Zona C"),
    ('D', "Zona D"),
    ]


class Settlement(metaclass=PoolMeta):
    __name__ = 'muni.settlement'

    ro_rank = fields.Selection(
        RANKS, "Rank",
        states={'invisible': Eval('localisation') != 'ro'},
        help="The rank of the locality in the national settlement network "
        "(Legea 351/2001), as SIRUTA gives it: 0 Bucharest, I and II "
        "municipalities, III towns, IV commune seats, V other villages.")
