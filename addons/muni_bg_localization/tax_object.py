# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval

_bg = Eval('localisation') == 'bg'
_property = {
    'invisible': ~_bg | (Eval('kind') != 'property'),
    }
_vehicle = {
    'invisible': ~_bg | (Eval('kind') != 'vehicle'),
    'required': _bg & (Eval('kind') == 'vehicle'),
    }


class TaxObject(metaclass=PoolMeta):
    __name__ = 'muni.tax.object'

    bg_assessment_value = fields.Numeric(
        "Tax Assessment Value", digits=(16, 2), states=_property,
        domain=['OR',
            ('bg_assessment_value', '=', None),
            ('bg_assessment_value', '>=', 0),
            ],
        help="The данъчна оценка as at 1 January of the tax year "
        "(ЗМДТ чл. 21 and Annex 2).")
    bg_vehicle_category = fields.Selection([
            (None, ""),
            ('car', "Car up to 3.5 t"),
            ('truck', "Truck 3.5 t to 12 t"),
            ('motorcycle', "Motorcycle"),
            ('moped', "Moped"),
            ('tractor', "Tractor"),
            ], "Vehicle Category", states=_vehicle)
    bg_power_kw = fields.Numeric(
        "Power (kW)", digits=(6, 2),
        states={
            'invisible': ~_bg | ~Eval('bg_vehicle_category').in_(
                ['car', 'tractor']),
            'required': _bg & Eval('bg_vehicle_category').in_(
                ['car', 'tractor']),
            })
    bg_manufacture_year = fields.Integer(
        "Year of Manufacture",
        states={
            'invisible': ~_bg | (Eval('bg_vehicle_category') != 'car'),
            'required': _bg & (Eval('bg_vehicle_category') == 'car'),
            })
    bg_euro_class = fields.Selection([
            ('none', "No Class"),
            ('1', "Euro 1"),
            ('2', "Euro 2"),
            ('3', "Euro 3"),
            ('4', "Euro 4"),
            ('5', "Euro 5"),
            ('6', "Euro 6 or EEV"),
            ], "Euro Class",
        states={
            'invisible': ~_bg | (Eval('bg_vehicle_category') != 'car'),
            },
        help="Field V.9 of the registration certificate; "
        "without it the vehicle counts as having no class.")
    bg_catalyst = fields.Boolean(
        "Working Catalytic Converter",
        states={
            'invisible': ~_bg | (Eval('bg_vehicle_category') != 'car'),
            })
    bg_payload_kg = fields.Integer(
        "Payload (kg)",
        states={
            'invisible': ~_bg | (Eval('bg_vehicle_category') != 'truck'),
            'required': _bg & (Eval('bg_vehicle_category') == 'truck'),
            })
    bg_engine_cc = fields.Integer(
        "Engine (cc)",
        states={
            'invisible': ~_bg | ~Eval('bg_vehicle_category').in_(
                ['motorcycle', 'moped']),
            'required': _bg & Eval('bg_vehicle_category').in_(
                ['motorcycle', 'moped']),
            })

    @classmethod
    def default_bg_euro_class(cls):
        return 'none'


class TaxObjectOwner(metaclass=PoolMeta):
    __name__ = 'muni.tax.object.owner'

    bg_reduced_capacity = fields.Integer(
        "Reduced Working Capacity (%)",
        domain=['OR',
            ('bg_reduced_capacity', '=', None),
            [('bg_reduced_capacity', '>=', 0),
                ('bg_reduced_capacity', '<=', 100)],
            ],
        help="With 50 % or more, the main dwelling's relief is 75 % "
        "instead of 50 % (ЗМДТ чл. 25).")
