"""The fixed facts of the demo city, Harbor Bend: its departments, team, datasets and metrics.

Harbor Bend is fictional; its people's names are drawn at random from common first and last
names (see generate.py), never taken from a real roster.
"""

from __future__ import annotations

from dataclasses import dataclass

from statdesk.domain.vocabulary import (
    AccessLevel,
    DataKind,
    Direction,
    Frequency,
    GoalHorizon,
    MeasureType,
    Role,
    RollUp,
    Unit,
    UpdateFrequency,
)

CITY = "Harbor Bend"
PROGRAM = "BendStat"
FISCAL_YEAR_START = 7  # July

# key -> (name, short name, description)
DEPARTMENTS: dict[str, tuple[str, str, str]] = {
    "mayor": ("Office of the Mayor", "MO", "The mayor, chief of staff and the BendStat team."),
    "finance": ("Budget & Finance", "BF", "Budget office, accounts payable and payroll."),
    "pw": ("Public Works", "PW", "Streets, street lights, fleet and solid waste."),
    "police": ("Police", "PD", "Patrol, investigations and the emergency communications center."),
    "fire": ("Fire & Rescue", "FR", "Fire suppression, emergency medical services, inspections."),
    "parks": ("Parks & Recreation", "PR", "Parks, urban forestry and recreation programs."),
    "housing": ("Housing & Neighborhoods", "HN", "Affordable housing and code enforcement."),
    "planning": ("Planning & Permits", "PP", "Zoning, building permits and GIS."),
    "311": ("311 Customer Service", "311", "The city's call center and service request system."),
}

FIRST_NAMES = (
    "Avery Jordan Casey Morgan Riley Quinn Harper Rowan Emerson Sawyer Blake Reese Dakota "
    "Elena Marcus Priya Tomas Keisha Daniel Mei Samuel Fatima Oscar Lena Victor Naomi Hugo "
    "Iris Andre Grace Mateo Nadia Caleb Yusuf Alma Felix Joanna Omar Ruth Wesley"
).split()
LAST_NAMES = (
    "Alder Birchwood Calloway Dunmore Everly Fairbanks Garrow Hollis Ingram Jessop Kettering "
    "Lindqvist Marlowe Northcott Okafor Pemberton Quillan Rosales Sandoval Thackeray Umberto "
    "Vasquez Whitlock Yarrow Zeller Ashdown Brightwater Castellan Dorsey Ellery"
).split()


@dataclass(frozen=True)
class PersonSpec:
    title: str
    department: str
    roles: tuple[tuple[Role, str | None], ...]  # (role, department key or None for citywide)


TEAM: tuple[PersonSpec, ...] = (
    PersonSpec("Mayor", "mayor", ((Role.PRINCIPAL, None),)),
    PersonSpec("Chief of Staff", "mayor", ((Role.CHIEF_OF_STAFF, None),)),
    PersonSpec("Deputy Chief Administrative Officer", "mayor", ((Role.STAT_LEAD, None),)),
    PersonSpec("Performance Analyst", "mayor", ((Role.STAT_ANALYST, None),)),
    PersonSpec("City Attorney", "mayor", ((Role.LEGAL_COUNSEL, None),)),
    PersonSpec("Budget Director", "finance", ((Role.DEPARTMENT_LEAD, "finance"),)),
    PersonSpec("Senior Budget Analyst", "finance", ((Role.BUDGET_ANALYST, None),)),
    PersonSpec("Budget Analyst", "finance", ((Role.BUDGET_ANALYST, None),)),
    PersonSpec("Database Administrator", "finance",
               ((Role.DATA_EXPERT, None), (Role.DEPARTMENT_CONTACT, "finance"))),
    PersonSpec("Director of Public Works", "pw", ((Role.DEPARTMENT_LEAD, "pw"),)),
    PersonSpec("Operations Analyst", "pw", ((Role.DEPARTMENT_CONTACT, "pw"),)),
    PersonSpec("Street Crew Supervisor", "pw", ((Role.FRONTLINE_STAFF, "pw"),)),
    PersonSpec("Police Chief", "police", ((Role.DEPARTMENT_LEAD, "police"),)),
    PersonSpec("Crime Analyst", "police",
               ((Role.DEPARTMENT_CONTACT, "police"), (Role.DEPARTMENT_DATA_OFFICER, "police"))),
    PersonSpec("Fire Chief", "fire", ((Role.DEPARTMENT_LEAD, "fire"),)),
    PersonSpec("EMS Quality Coordinator", "fire", ((Role.DEPARTMENT_CONTACT, "fire"),)),
    PersonSpec("Director of Parks & Recreation", "parks", ((Role.DEPARTMENT_LEAD, "parks"),)),
    PersonSpec("Recreation Program Manager", "parks", ((Role.DEPARTMENT_CONTACT, "parks"),)),
    PersonSpec("Director of Housing & Neighborhoods", "housing",
               ((Role.DEPARTMENT_LEAD, "housing"),)),
    PersonSpec("Code Enforcement Manager", "housing", ((Role.DEPARTMENT_CONTACT, "housing"),)),
    PersonSpec("Planning Director", "planning", ((Role.DEPARTMENT_LEAD, "planning"),)),
    PersonSpec("GIS Analyst", "planning",
               ((Role.DATA_EXPERT, None), (Role.DEPARTMENT_CONTACT, "planning"))),
    PersonSpec("311 Manager", "311", ((Role.DEPARTMENT_LEAD, "311"),)),
    PersonSpec("311 Data Coordinator", "311", ((Role.DEPARTMENT_CONTACT, "311"),)),
    PersonSpec("Resident, Neighborhood Council chair", "", ((Role.PUBLIC, None),)),
)

# Budget portfolios: name -> (index into TEAM of the analyst, department keys)
PORTFOLIOS: dict[str, tuple[int, tuple[str, ...]]] = {
    "Public Safety": (6, ("police", "fire")),
    "Infrastructure & Development": (7, ("pw", "planning", "housing")),
    "Community & Internal Services": (6, ("parks", "311", "finance", "mayor")),
}


@dataclass(frozen=True)
class DatasetSpec:
    department: str
    title: str
    description: str
    source_system: str
    format: str
    frequency: UpdateFrequency
    access: AccessLevel
    pii: bool
    kind: DataKind
    keywords: str


_D = DatasetSpec
_U = UpdateFrequency
_A = AccessLevel
_K = DataKind
DATASETS: tuple[DatasetSpec, ...] = (
    _D("311", "311 Service Requests", "Every request residents make by phone, app or web, "
       "with type, location, dates opened and closed.", "CityWorks 311", "SQL Server table",
       _U.DAILY, _A.PUBLIC, False, _K.SUBJECT_MATTER, "311; service requests; complaints"),
    _D("311", "311 Call Center Phone Statistics", "Calls offered, answered, abandoned and speed "
       "of answer by half hour.", "Avaya ACD", "Excel export", _U.DAILY, _A.PUBLIC, False,
       _K.OPERATIONAL, "311; call center; wait time"),
    _D("311", "Customer Satisfaction Survey", "Quarterly survey of residents who closed a "
       "request.", "SurveyMonkey", "CSV", _U.QUARTERLY, _A.RESTRICTED_PUBLIC, True,
       _K.SUBJECT_MATTER, "survey; satisfaction"),
    _D("pw", "Pothole Repair Work Orders", "Pothole reports and repairs with crew, dates and "
       "location.", "CityWorks", "SQL Server table", _U.DAILY, _A.PUBLIC, False,
       _K.SUBJECT_MATTER, "potholes; streets; work orders"),
    _D("pw", "Pavement Condition Survey", "Pavement Condition Index for every street segment, "
       "surveyed each spring.", "StreetSaver", "Shapefile", _U.ANNUALLY, _A.PUBLIC, False,
       _K.SUBJECT_MATTER, "pavement; PCI; streets"),
    _D("pw", "Street Light Outages", "Reported street light outages and repair dates.",
       "CityWorks", "SQL Server table", _U.DAILY, _A.PUBLIC, False, _K.SUBJECT_MATTER,
       "street lights; outages"),
    _D("pw", "Fleet Maintenance Records", "Repairs, downtime and cost per city vehicle.",
       "FleetFocus", "Excel export", _U.MONTHLY, _A.NON_PUBLIC, False, _K.OPERATIONAL,
       "fleet; vehicles; maintenance"),
    _D("pw", "Solid Waste Tonnage", "Tons of trash, recycling and yard waste collected by "
       "route.", "Scale house system", "CSV", _U.MONTHLY, _A.PUBLIC, False, _K.SUBJECT_MATTER,
       "trash; recycling; tonnage"),
    _D("police", "Computer-Aided Dispatch Calls for Service", "Every call for service with "
       "priority, times received, dispatched and on scene.", "Tyler CAD", "Oracle database",
       _U.REAL_TIME, _A.RESTRICTED_PUBLIC, True, _K.SUBJECT_MATTER,
       "police; dispatch; response time"),
    _D("police", "Reported Crime Incidents (NIBRS)", "Offenses reported under the FBI's NIBRS "
       "standard, geocoded to the block.", "Tyler RMS", "Oracle database", _U.DAILY,
       _A.PUBLIC, True, _K.SUBJECT_MATTER, "crime; NIBRS; incidents"),
    _D("police", "Use of Force Reports", "Incidents in which officers used force, with "
       "demographics and outcome.", "IAPro", "Access database", _U.MONTHLY,
       _A.RESTRICTED_PUBLIC, True, _K.SUBJECT_MATTER, "use of force; accountability"),
    _D("police", "Sworn Staffing Roster", "Authorized and filled sworn positions by unit.",
       "Munis HR", "Excel workbook", _U.MONTHLY, _A.NON_PUBLIC, True, _K.OPERATIONAL,
       "staffing; vacancies; police"),
    _D("fire", "Fire Incident Reports (NFIRS)", "Fire incidents in the national reporting "
       "format, with cause and loss.", "ImageTrend", "SQL database", _U.DAILY, _A.PUBLIC,
       False, _K.SUBJECT_MATTER, "fire; NFIRS; incidents"),
    _D("fire", "EMS Patient Care Reports", "Medical calls with response times and outcomes.",
       "ImageTrend Elite", "SQL database", _U.DAILY, _A.NON_PUBLIC, True, _K.SUBJECT_MATTER,
       "EMS; medical; response time"),
    _D("fire", "Fire Inspections", "Commercial fire inspections, violations and re-inspections.",
       "ImageTrend", "Excel export", _U.WEEKLY, _A.PUBLIC, False, _K.SUBJECT_MATTER,
       "inspections; fire prevention"),
    _D("parks", "Recreation Program Enrollment", "Registrations per program, season and site.",
       "RecTrac", "CSV", _U.WEEKLY, _A.PUBLIC, True, _K.SUBJECT_MATTER,
       "recreation; programs; enrollment"),
    _D("parks", "Park Maintenance Requests", "Requests for mowing, repairs and litter pickup "
       "in parks.", "CityWorks", "SQL Server table", _U.DAILY, _A.PUBLIC, False,
       _K.SUBJECT_MATTER, "parks; maintenance"),
    _D("parks", "Street Tree Inventory", "Every city-owned tree with species, size and "
       "condition.", "TreeKeeper", "Shapefile", _U.IRREGULAR, _A.PUBLIC, False,
       _K.SUBJECT_MATTER, "trees; urban forest"),
    _D("housing", "Code Enforcement Cases", "Housing and property code cases from complaint "
       "to compliance.", "Accela", "SQL database", _U.DAILY, _A.PUBLIC, False,
       _K.SUBJECT_MATTER, "code enforcement; blight; housing"),
    _D("housing", "Affordable Housing Pipeline", "Projects with affordable units, funding and "
       "stage.", "Excel tracker", "Excel workbook", _U.MONTHLY, _A.PUBLIC, False,
       _K.SUBJECT_MATTER, "affordable housing; units"),
    _D("housing", "Rental Registry and Inspections", "Registered rental units and inspection "
       "results.", "Accela", "SQL database", _U.WEEKLY, _A.RESTRICTED_PUBLIC, True,
       _K.SUBJECT_MATTER, "rental; inspections"),
    _D("housing", "Vacant and Blighted Properties", "Properties on the vacant building "
       "registry.", "Accela", "Excel export", _U.MONTHLY, _A.PUBLIC, False, _K.SUBJECT_MATTER,
       "vacant; blight"),
    _D("planning", "Building Permits", "Permit applications and issuances with valuation and "
       "review days.", "Accela", "SQL database", _U.DAILY, _A.PUBLIC, False, _K.SUBJECT_MATTER,
       "permits; construction; development"),
    _D("planning", "Zoning Cases", "Rezoning, variance and site plan applications.", "Accela",
       "SQL database", _U.WEEKLY, _A.PUBLIC, False, _K.SUBJECT_MATTER, "zoning; land use"),
    _D("planning", "Parcel Base Map", "Parcels with owner, land use and zoning.", "ArcGIS",
       "File geodatabase", _U.MONTHLY, _A.PUBLIC, False, _K.SUBJECT_MATTER,
       "GIS; parcels; maps"),
    _D("finance", "Budget vs Actuals", "Adopted budget, revised budget and spending by fund, "
       "department and account.", "Tyler Munis", "SQL database", _U.MONTHLY, _A.PUBLIC, False,
       _K.OPERATIONAL, "budget; spending; finance"),
    _D("finance", "Vendor Payments", "Invoices received and paid, with days to pay.",
       "Tyler Munis", "SQL database", _U.WEEKLY, _A.PUBLIC, False, _K.OPERATIONAL,
       "payments; vendors; accounts payable"),
    _D("finance", "Employee Overtime and Leave", "Overtime hours and sick leave by department "
       "and pay period.", "Munis Payroll", "Excel export", _U.MONTHLY, _A.NON_PUBLIC, True,
       _K.OPERATIONAL, "overtime; sick leave; payroll"),
    _D("mayor", "American Community Survey Estimates", "Population, income and housing "
       "estimates for the city from the US Census Bureau.", "data.census.gov", "CSV",
       _U.ANNUALLY, _A.PUBLIC, False, _K.VALIDATING, "census; population; ACS"),
    _D("mayor", "Local Area Unemployment Statistics", "Monthly unemployment rate for the "
       "metro area from the Bureau of Labor Statistics.", "bls.gov", "CSV", _U.MONTHLY,
       _A.PUBLIC, False, _K.VALIDATING, "BLS; unemployment; economy"),
)

# Strategic priorities -> goals: (title, horizon, years to target, bold)
PRIORITIES: dict[str, tuple[str, tuple[tuple[str, GoalHorizon, int, bool], ...]]] = {
    "safe": ("Safe Neighborhoods", (
        ("Reach every emergency in under eight minutes", GoalHorizon.LONG, 5, True),
        ("Reduce serious crime", GoalHorizon.INTERMEDIATE, 3, False),
    )),
    "services": ("Reliable Basic Services", (
        ("Keep streets in good repair", GoalHorizon.INTERMEDIATE, 3, False),
        ("Answer residents quickly", GoalHorizon.SHORT, 1, False),
    )),
    "community": ("A Thriving, Affordable Community", (
        ("Build more homes people can afford", GoalHorizon.LONG, 8, False),
        ("Grow participation in recreation", GoalHorizon.SHORT, 2, False),
    )),
    "government": ("A Well-Run Government", (
        ("Make permitting fast and predictable", GoalHorizon.SHORT, 2, False),
        ("Pay vendors on time and keep reserves healthy", GoalHorizon.INTERMEDIATE, 3, False),
    )),
}


@dataclass(frozen=True)
class MetricSpec:
    """A metric and the story its numbers tell, from `start` to `end` over three years."""

    key: str
    name: str
    department: str
    goal: tuple[str, int]  # (priority key, goal index)
    kpi: str | None  # "KPI" for a KPI, else the key of the KPI it supports
    measure: MeasureType
    unit: Unit
    frequency: Frequency
    direction: Direction
    roll_up: RollUp
    start: float
    end: float
    shape: str  # linear | late_slip | dip | step | flat
    seasonal: float  # amplitude as a share of the level
    noise: float  # standard deviation as a share of the level
    target_start: float
    target_end: float
    decimals: int = 0
    tolerance: float = 5.0
    band: tuple[float, float] | None = None
    datasets: tuple[str, ...] = ()
    unit_label: str | None = None


_M = MetricSpec
_T = MeasureType
METRICS: tuple[MetricSpec, ...] = (
    _M("potholes_48h", "Potholes repaired within 48 hours", "pw", ("services", 0), "KPI",
       _T.SERVICE_QUALITY, Unit.PERCENT, Frequency.MONTHLY, Direction.UP, RollUp.AVERAGE,
       61, 88, "linear", 0.03, 0.025, 75, 85, 1, 5.0,
       datasets=("Pothole Repair Work Orders",)),
    _M("potholes_reported", "Potholes reported", "pw", ("services", 0), "potholes_48h",
       _T.INPUT, Unit.COUNT, Frequency.MONTHLY, Direction.DOWN, RollUp.SUM,
       420, 360, "linear", 0.35, 0.08, 420, 380, unit_label="potholes",
       datasets=("Pothole Repair Work Orders", "311 Service Requests")),
    _M("pci", "Pavement Condition Index (citywide average)", "pw", ("services", 0),
       "potholes_48h", _T.OUTCOME, Unit.SCORE, Frequency.ANNUAL, Direction.UP, RollUp.LAST,
       61, 64, "linear", 0, 0.01, 62, 66, 0, 3.0, datasets=("Pavement Condition Survey",)),
    _M("lights_5d", "Street lights repaired within 5 days", "pw", ("services", 0), None,
       _T.SERVICE_QUALITY, Unit.PERCENT, Frequency.MONTHLY, Direction.UP, RollUp.AVERAGE,
       79, 84, "flat", 0.02, 0.03, 85, 85, 1, datasets=("Street Light Outages",)),
    _M("police_response", "Median response time to priority 1 calls", "police",
       ("safe", 0), "KPI", _T.SERVICE_QUALITY, Unit.MINUTES, Frequency.MONTHLY,
       Direction.DOWN, RollUp.AVERAGE, 6.4, 7.6, "late_slip", 0.02, 0.03, 6.5, 6.2, 1, 5.0,
       datasets=("Computer-Aided Dispatch Calls for Service",)),
    _M("police_vacancies", "Sworn officer vacancies", "police", ("safe", 0),
       "police_response", _T.INPUT, Unit.COUNT, Frequency.MONTHLY, Direction.DOWN,
       RollUp.LAST, 6, 17, "late_slip", 0, 0.08, 8, 6, unit_label="positions",
       datasets=("Sworn Staffing Roster",)),
    _M("part1_crime", "Part I crimes per 1,000 residents", "police", ("safe", 1), "KPI",
       _T.OUTCOME, Unit.RATE, Frequency.QUARTERLY, Direction.DOWN, RollUp.SUM,
       9.8, 8.1, "linear", 0.06, 0.03, 9.5, 8.5, 1, 5.0,
       datasets=("Reported Crime Incidents (NIBRS)", "American Community Survey Estimates")),
    _M("fire_8min", "Fire and EMS calls reached within 8 minutes", "fire", ("safe", 0), "KPI",
       _T.SERVICE_QUALITY, Unit.PERCENT, Frequency.MONTHLY, Direction.UP, RollUp.AVERAGE,
       87.5, 89.0, "flat", 0.015, 0.012, 90, 90, 1, 3.0,
       datasets=("EMS Patient Care Reports", "Fire Incident Reports (NFIRS)")),
    _M("fire_inspections", "Commercial fire inspections completed", "fire", ("safe", 0),
       "fire_8min", _T.OUTPUT, Unit.COUNT, Frequency.MONTHLY, Direction.UP, RollUp.SUM,
       95, 130, "step", 0.1, 0.07, 110, 125, unit_label="inspections",
       datasets=("Fire Inspections",)),
    _M("calls_60s", "311 calls answered within 60 seconds", "311", ("services", 1), "KPI",
       _T.SERVICE_QUALITY, Unit.PERCENT, Frequency.MONTHLY, Direction.UP, RollUp.AVERAGE,
       78, 82, "dip", 0.02, 0.02, 80, 80, 1, 5.0,
       datasets=("311 Call Center Phone Statistics",)),
    _M("requests_on_time", "311 requests closed within their service standard", "311",
       ("services", 1), "calls_60s", _T.SERVICE_QUALITY, Unit.PERCENT, Frequency.MONTHLY,
       Direction.UP, RollUp.AVERAGE, 71, 79, "linear", 0.02, 0.02, 75, 80, 1,
       datasets=("311 Service Requests",)),
    _M("rec_enrollment", "Recreation program enrollments", "parks", ("community", 1), "KPI",
       _T.OUTPUT, Unit.COUNT, Frequency.QUARTERLY, Direction.UP, RollUp.SUM,
       2100, 2900, "linear", 0.25, 0.05, 2200, 2800, 0, 5.0, unit_label="enrollments",
       datasets=("Recreation Program Enrollment",)),
    _M("park_requests_10d", "Park maintenance requests closed within 10 days", "parks",
       ("community", 1), "rec_enrollment", _T.EFFICIENCY, Unit.PERCENT, Frequency.MONTHLY,
       Direction.UP, RollUp.AVERAGE, 83, 86, "flat", 0.03, 0.025, 85, 88, 1,
       datasets=("Park Maintenance Requests",)),
    _M("affordable_units", "Affordable housing units permitted", "housing", ("community", 0),
       "KPI", _T.OUTCOME, Unit.COUNT, Frequency.QUARTERLY, Direction.UP, RollUp.SUM,
       22, 26, "flat", 0.2, 0.25, 35, 45, 0, 10.0, unit_label="units",
       datasets=("Affordable Housing Pipeline", "Building Permits")),
    _M("code_90d", "Code enforcement cases resolved within 90 days", "housing",
       ("community", 0), "affordable_units", _T.EFFICIENCY, Unit.PERCENT, Frequency.MONTHLY,
       Direction.UP, RollUp.AVERAGE, 58, 67, "linear", 0.02, 0.04, 65, 70, 1,
       datasets=("Code Enforcement Cases",)),
    _M("permit_days", "Median days to issue a residential building permit", "planning",
       ("government", 0), "KPI", _T.EFFICIENCY, Unit.DAYS, Frequency.MONTHLY, Direction.DOWN,
       RollUp.AVERAGE, 47, 24, "step", 0.03, 0.05, 40, 30, 0, 10.0,
       datasets=("Building Permits",)),
    _M("permits_issued", "Building permits issued", "planning", ("government", 0),
       "permit_days", _T.OUTPUT, Unit.COUNT, Frequency.MONTHLY, Direction.UP, RollUp.SUM,
       140, 165, "linear", 0.2, 0.08, 140, 160, unit_label="permits",
       datasets=("Building Permits",)),
    _M("invoices_30d", "Vendor invoices paid within 30 days", "finance", ("government", 1),
       "KPI", _T.EFFICIENCY, Unit.PERCENT, Frequency.MONTHLY, Direction.UP, RollUp.AVERAGE,
       88, 95.5, "linear", 0.01, 0.012, 92, 95, 1, 2.0, datasets=("Vendor Payments",)),
    _M("reserve_pct", "General fund reserve as a share of expenditures", "finance",
       ("government", 1), "invoices_30d", _T.OUTCOME, Unit.PERCENT, Frequency.QUARTERLY,
       Direction.BAND, RollUp.LAST, 17.5, 14.2, "late_slip", 0, 0.02, 17.5, 17.5, 1, 1.0,
       band=(15.0, 20.0), datasets=("Budget vs Actuals",)),
    _M("overtime_hours", "Overtime hours citywide", "finance", ("government", 1), None,
       _T.INPUT, Unit.HOURS, Frequency.MONTHLY, Direction.DOWN, RollUp.SUM,
       5200, 6900, "late_slip", 0.08, 0.05, 5500, 5000, unit_label="hours",
       datasets=("Employee Overtime and Leave",)),
)
