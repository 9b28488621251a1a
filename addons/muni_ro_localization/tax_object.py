# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval

_ro = Eval('localisation') == 'ro'
_property = _ro & (Eval('kind') == 'property')
_building = _property & (Eval('ro_property_kind') == 'building')
_land = _property & (Eval('ro_property_kind') == 'land')
_vehicle = _ro & (Eval('kind') == 'vehicle')
_intravilan = _land & (Eval('ro_land_location') == 'intravilan')
# The value of a building counts for non-residential buildings and those
# of legal persons (art. 458, 460)
_valued = _building & ((Eval('ro_building_use') != 'residential')
    | (Eval('ro_owner_kind') == 'legal'))
# The vehicles taxed per started 200 cm³ (Codul fiscal art. 470 (2))
CC_VEHICLES = ['motorcycle', 'car', 'bus', 'motor_vehicle', 'tractor']
# The vehicles taxed by mass and axles (art. 470 (5)–(7))
MASS_VEHICLES = ['truck', 'trailer']

RANKS = [
    (None, ""),
    ('0', "0"),
    ('I', "I"),
    ('II', "II"),
    ('III', "III"),
    ('IV', "IV"),
    ('V', "V"),
    ]
ZONES = [
    (None, ""),
    ('A', "A"),
    ('B', "B"),
    ('C', "C"),
    ('D', "D"),
    ]


def _positive(name):
    return ['OR', (name, '=', None), (name, '>', 0)]


class TaxObject(metaclass=PoolMeta):
    __name__ = 'muni.tax.object'

    ro_owner_kind = fields.Selection([
            (None, ""),
            ('natural', "Natural Person"),
            ('legal', "Legal Person"),
            ], "Owner Kind",
        states={
            'invisible': ~_ro | ~Eval('kind').in_(['property', 'vehicle']),
            'required': _ro & Eval('kind').in_(['property', 'vehicle']),
            },
        help="Natural persons and legal persons are taxed by different "
        "articles of the Codul fiscal and paid to different budget codes.")
    ro_property_kind = fields.Selection([
            (None, ""),
            ('building', "Building"),
            ('land', "Land"),
            ], "Property Kind",
        states={'invisible': ~_property, 'required': _property})
    ro_rank = fields.Selection(RANKS, "Locality Rank",
        states={
            'invisible': ~(_building | _intravilan),
            'required': _building | _intravilan,
            },
        help="The rank of the locality (Legea 351/2001): "
        "III for the town of Năvodari, V for Mamaia-Sat.")
    ro_zone = fields.Selection(ZONES, "Zone (A–D)",
        states={
            'invisible': ~(_building | _intravilan),
            'required': _building | _intravilan,
            },
        help="The zone within the locality, as the council's decision "
        "(HCL) draws it on the streets.")

    # Buildings (Codul fiscal art. 457–460)
    ro_building_use = fields.Selection([
            (None, ""),
            ('residential', "Residential"),
            ('non_residential', "Non-Residential"),
            ('mixed', "Mixed"),
            ], "Use", states={'invisible': ~_building, 'required': _building})
    ro_building_type = fields.Selection([
            (None, ""),
            ('A', "A - Concrete Frame or Fired Brick"),
            ('B', "B - Wood, Stone or Unfired Brick"),
            ('C', "C - Annex of Type A Materials"),
            ('D', "D - Annex of Type B Materials"),
            ], "Structure Type",
        states={'invisible': ~_building, 'required': _building},
        help="The line of the table of art. 457 (2) the building falls in.")
    ro_building_part = fields.Selection([
            ('whole', "Whole Building"),
            ('basement_dwelling', "Basement or Attic Used as Dwelling"),
            ('basement_other', "Basement or Attic Used Otherwise"),
            ], "Part", states={'invisible': ~_building},
        help="Basement, semi-basement and attic rooms are valued at 75 % "
        "(dwelling) or 50 % (other use) of their type (art. 457 (2) E, F).")
    ro_area = fields.Numeric(
        "Built Area (m²)", digits=(16, 2), domain=_positive('ro_area'),
        states={'invisible': ~_building, 'required': _building},
        help="The suprafața construită desfășurată: all levels with "
        "balconies, loggias, basement and used attic (art. 457 (4)); "
        "the useful area × 1.4 when it cannot be measured (art. 457 (5)).")
    ro_non_residential_area = fields.Numeric(
        "Non-Residential Area (m²)", digits=(16, 2),
        domain=_positive('ro_non_residential_area'),
        states={
            'invisible': ~_building | (Eval('ro_building_use') != 'mixed'),
            },
        help="The part of a mixed building used otherwise than as a "
        "dwelling (art. 459); empty when the parts cannot be told apart.")
    ro_utilities = fields.Boolean(
        "Water, Sewage, Electricity and Heating",
        states={'invisible': ~_building},
        help="All four together, as the columns of art. 457 (2) read.")
    ro_construction_year = fields.Integer(
        "Construction Year",
        states={'invisible': ~_building, 'required': _building},
        help="The year the building was finished, or the year of its "
        "last major renovation.")
    ro_value = fields.Numeric(
        "Taxable Value (lei)", digits=(16, 2), domain=_positive('ro_value'),
        states={'invisible': ~_valued},
        help="For non-residential buildings and those of legal persons: "
        "the value of a valuation report, of the final works or of the "
        "acquisition (art. 458 (1), art. 460).")
    ro_value_year = fields.Integer(
        "Value Year",
        states={'invisible': ~_valued},
        help="The year of the valuation, of the end of the works or of the "
        "acquisition: a value older than five years is not revalued.")

    # Land (art. 463–467)
    ro_land_location = fields.Selection([
            (None, ""),
            ('intravilan', "Inside the Built-Up Area (Intravilan)"),
            ('extravilan', "Outside the Built-Up Area (Extravilan)"),
            ], "Location", states={'invisible': ~_land, 'required': _land})
    ro_land_category = fields.Selection([
            (None, ""),
            ('buildings', "Land with Buildings"),
            ('arable', "Arable"),
            ('pasture', "Pasture"),
            ('hayfield', "Hayfield"),
            ('vineyard', "Vineyard"),
            ('orchard', "Orchard"),
            ('forest', "Forest"),
            ('water', "Water"),
            ('unproductive', "Unproductive Land"),
            ], "Use Category",
        states={'invisible': ~_land, 'required': _land})
    ro_land_area = fields.Numeric(
        "Land Area (m²)", digits=(16, 2), domain=_positive('ro_land_area'),
        states={'invisible': ~_land, 'required': _land})

    # Vehicles (art. 470–472)
    ro_vehicle_kind = fields.Selection([
            (None, ""),
            ('motorcycle', "Motorcycle, Tricycle or Quadricycle"),
            ('car', "Car"),
            ('bus', "Bus, Coach or Minibus"),
            ('motor_vehicle', "Other Motor Vehicle up to 12 t"),
            ('tractor', "Registered Tractor"),
            ('truck', "Truck of 12 t or More"),
            ('trailer', "Trailer, Semi-Trailer or Caravan"),
            ], "Vehicle Kind",
        states={'invisible': ~_vehicle, 'required': _vehicle})
    ro_engine_cc = fields.Integer(
        "Cylinder Capacity (cm³)", domain=_positive('ro_engine_cc'),
        states={
            'invisible': ~_vehicle
            | ~Eval('ro_vehicle_kind').in_(CC_VEHICLES)
            | (Eval('ro_propulsion') == 'electric'),
            'required': _vehicle
            & Eval('ro_vehicle_kind').in_(CC_VEHICLES)
            & (Eval('ro_propulsion') != 'electric'),
            })
    ro_euro_norm = fields.Selection([
            ('none', "Non-Euro to Euro 3"),
            ('4', "Euro 4"),
            ('5', "Euro 5"),
            ('6', "Euro 6"),
            ], "Euro Norm",
        states={
            'invisible': ~_vehicle
            | ~Eval('ro_vehicle_kind').in_(CC_VEHICLES),
            },
        help="The pollution norm of the registration certificate (CIV); "
        "from 2026 the rate per 200 cm³ depends on it.")
    ro_propulsion = fields.Selection([
            ('thermal', "Combustion Engine"),
            ('hybrid', "Hybrid"),
            ('electric', "Electric"),
            ], "Propulsion",
        states={
            'invisible': ~_vehicle
            | ~Eval('ro_vehicle_kind').in_(CC_VEHICLES),
            })
    ro_co2 = fields.Integer(
        "CO₂ Emissions (g/km)",
        states={
            'invisible': ~_vehicle | (Eval('ro_propulsion') != 'hybrid'),
            'required': _vehicle & (Eval('ro_propulsion') == 'hybrid'),
            },
        help="Hybrids emitting more than 50 g/km have their own column "
        "of the 2026 table.")
    ro_max_mass = fields.Integer(
        "Maximum Authorised Mass (kg)", domain=_positive('ro_max_mass'),
        states={
            'invisible': ~_vehicle
            | ~Eval('ro_vehicle_kind').in_(MASS_VEHICLES),
            'required': _vehicle
            & Eval('ro_vehicle_kind').in_(MASS_VEHICLES),
            })
    ro_axles = fields.Integer(
        "Axles", domain=_positive('ro_axles'),
        states={
            'invisible': ~_vehicle | (Eval('ro_vehicle_kind') != 'truck'),
            'required': _vehicle & (Eval('ro_vehicle_kind') == 'truck'),
            })
    ro_air_suspension = fields.Boolean(
        "Air Suspension",
        states={
            'invisible': ~_vehicle | (Eval('ro_vehicle_kind') != 'truck'),
            },
        help="Pneumatic suspension or an equivalent on the drive axles.")

    @fields.depends('settlement', 'ro_rank')
    def on_change_settlement(self):
        "The rank of the object's locality, as SIRUTA gives it"
        if self.settlement and getattr(self.settlement, 'ro_rank', None):
            self.ro_rank = self.settlement.ro_rank

    @classmethod
    def default_ro_euro_norm(cls):
        return 'none'

    @classmethod
    def default_ro_propulsion(cls):
        return 'thermal'

    @classmethod
    def default_ro_building_part(cls):
        return 'whole'

    @classmethod
    def default_ro_utilities(cls):
        return True
