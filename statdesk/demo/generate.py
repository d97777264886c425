"""Build the demo city's records from a seed: the same seed and date give the same city.

Values run over three fiscal years up to the last complete period before `as_of`, so the demo
always looks current; each metric follows the story its spec describes (improving, slipping
lately, dipping and recovering, stepping after a process change, or holding flat).
"""

from __future__ import annotations

import math
import random
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from statdesk.demo import content as c
from statdesk.domain.inventory import DISCOVERY_QUESTIONS
from statdesk.domain.periods import (
    Period,
    add_months,
    fiscal_year,
    fiscal_year_start,
    next_period,
    period_containing,
    period_end,
    periods_between,
)
from statdesk.domain.vocabulary import (
    ActionStatus,
    AgendaSection,
    Cadence,
    DatasetStatus,
    Deliverable,
    Frequency,
    MeetingStatus,
    Priority,
    Role,
    ToleranceKind,
    Unit,
    WorthTime,
)
from statdesk.storage import models as m

DEFAULT_SEED = 2026


def populate(session: Session, *, seed: int = DEFAULT_SEED, as_of: date | None = None) -> None:
    """Add the whole demo city to `session` (inside the caller's transaction)."""
    _DemoBuilder(session, random.Random(seed), as_of or date.today()).build()


class _DemoBuilder:
    def __init__(self, session: Session, rng: random.Random, as_of: date) -> None:
        self.s = session
        self.rng = rng
        self.as_of = as_of
        self.fy = c.FISCAL_YEAR_START
        self.departments: dict[str, m.Department] = {}
        self.people: list[m.Person] = []
        self.datasets: dict[str, m.Dataset] = {}
        self.metrics: dict[str, m.Metric] = {}

    def add(self, record: Any) -> Any:
        self.s.add(record)
        return record

    def build(self) -> None:
        self.city()
        self.roster()
        self.inventory()
        self.goals_and_metrics()
        self.s.flush()
        self.meetings()

    # ------------------------------------------------------------------ city and team
    def city(self) -> None:
        city = self.s.scalars(select(m.City)).first()
        if city is None:
            city = self.add(m.City(name=c.CITY))
        city.name = c.CITY
        city.program_name = c.PROGRAM
        city.fiscal_year_start_month = self.fy

    def roster(self) -> None:
        for key, (name, short, description) in c.DEPARTMENTS.items():
            self.departments[key] = self.add(
                m.Department(name=name, short_name=short, description=description)
            )
        for key, (cadence, weekday, at, room) in c.CADENCES.items():
            department = self.departments[key]
            department.stat_cadence = Cadence(cadence)
            department.stat_weekday, department.stat_time, department.stat_room = weekday, at, room
        self.s.flush()
        firsts = self.rng.sample(c.FIRST_NAMES, len(c.TEAM))
        lasts = self.rng.sample(c.LAST_NAMES, len(c.TEAM))
        for index, (spec, first, last) in enumerate(zip(c.TEAM, firsts, lasts, strict=True)):
            department = self.departments.get(spec.department)
            public = spec.roles[0][0] is Role.PUBLIC
            person = self.add(
                m.Person(
                    name=f"{first} {last}",
                    title=spec.title,
                    department_id=department.id if department else None,
                    email=None if public else f"{first}.{last}@harborbend.example".lower(),
                    phone=f"(555) 01{index:02d}" if not public else None,
                    active=True,
                )
            )
            self.people.append(person)
        self.s.flush()
        for person, spec in zip(self.people, c.TEAM, strict=True):
            for role, dept_key in spec.roles:
                dept = self.departments[dept_key].id if dept_key else None
                self.add(m.RoleAssignment(person_id=person.id, role=role, department_id=dept))
        for name, (analyst, dept_keys) in c.PORTFOLIOS.items():
            portfolio = self.add(m.BudgetPortfolio(name=name, analyst_id=self.people[analyst].id))
            self.s.flush()
            for key in dept_keys:
                self.s.execute(
                    m.portfolio_department.insert().values(
                        portfolio_id=portfolio.id, department_id=self.departments[key].id
                    )
                )

    def staff(self, dept_key: str, role: Role) -> m.Person:
        for person, spec in zip(self.people, c.TEAM, strict=True):
            if (
                any(r is role and (d == dept_key or d is None) for r, d in spec.roles)
                and spec.department == dept_key
            ):
                return person
        return self.people[3]  # the Stat analyst answers for a department without one

    def role_holder(self, role: Role) -> m.Person:
        return next(
            p for p, spec in zip(self.people, c.TEAM, strict=True) if spec.roles[0][0] is role
        )

    # ------------------------------------------------------------------ inventory
    def inventory(self) -> None:
        lag = {
            "real_time": 0,
            "daily": 1,
            "weekly": 5,
            "monthly": 20,
            "quarterly": 50,
            "annually": 200,
            "irregular": 300,
        }
        statuses = (
            [DatasetStatus.PUBLISHED] * 12
            + [DatasetStatus.VERIFIED] * 10
            + [DatasetStatus.DISCOVERED] * 8
        )
        self.rng.shuffle(statuses)
        for spec, status in zip(c.DATASETS, statuses, strict=True):
            slug = "-".join(
                "".join(ch if ch.isalnum() else " " for ch in spec.title).lower().split()
            )
            answers: dict[str, bool | None] = {
                column: self.rng.random() < 0.45 for column, _ in DISCOVERY_QUESTIONS
            }
            if status is DatasetStatus.DISCOVERED:  # not every question asked yet
                for column in self.rng.sample(sorted(answers), 3):
                    answers[column] = None
            public = spec.access.value == "public"
            self.datasets[spec.title] = self.add(
                m.Dataset(
                    identifier=f"harborbend-{slug}",
                    title=spec.title,
                    description=spec.description,
                    department_id=self.departments[spec.department].id,
                    owner_id=self.staff(spec.department, Role.DEPARTMENT_LEAD).id,
                    contact_id=self.staff(spec.department, Role.DEPARTMENT_CONTACT).id,
                    source_system=spec.source_system,
                    format=spec.format,
                    location=f"\\\\cityhall-fs01\\data\\{spec.department}\\{slug}",
                    update_frequency=spec.frequency,
                    last_updated=self.as_of - timedelta(days=self.days_since_update(spec, lag)),
                    temporal_start=date(self.rng.choice([2012, 2015, 2017, 2019]), 1, 1),
                    temporal_end=None,
                    spatial="City of Harbor Bend",
                    license="https://creativecommons.org/publicdomain/zero/1.0/"
                    if public
                    else None,
                    rights=None
                    if public
                    else "Contains records protected by state privacy law; "
                    "released only in aggregate.",
                    access_level=spec.access,
                    access_reason=None
                    if public
                    else (
                        "Personal information of residents or staff"
                        if spec.pii
                        else "Internal operations data"
                    ),
                    contains_pii=spec.pii,
                    privacy_notes="Names, addresses and dates of birth removed before publishing."
                    if spec.pii
                    else None,
                    data_dictionary_url=f"https://data.harborbend.example/dictionary/{slug}",
                    landing_page=f"https://data.harborbend.example/d/{slug}" if public else None,
                    download_url=f"https://data.harborbend.example/d/{slug}.csv"
                    if public and status is DatasetStatus.PUBLISHED
                    else None,
                    media_type="text/csv" if public and status is DatasetStatus.PUBLISHED else None,
                    keywords=spec.keywords,
                    data_kind=spec.kind,
                    status=status,
                    discovery_notes="Answers from the discovery meeting with the department.",
                    score_value=self.rng.randint(2, 5),
                    score_risk=4 if spec.pii else self.rng.randint(1, 2),
                    score_quality=self.rng.randint(2, 5),
                    score_readiness=self.rng.randint(1, 5),
                    **answers,
                )
            )

    def days_since_update(self, spec: c.DatasetSpec, lag: dict[str, int]) -> int:
        if spec.title in c.STALE_DATASETS:
            return 75  # the department stopped sending it
        return lag[spec.frequency.value] + self.rng.randint(0, 2)

    # ------------------------------------------------------------------ goals and metrics
    def goals_and_metrics(self) -> None:
        goals: dict[tuple[str, int], m.Goal] = {}
        for position, (key, (name, goal_specs)) in enumerate(c.PRIORITIES.items()):
            priority = self.add(m.StrategicPriority(name=name, position=position))
            self.s.flush()
            for index, (title, horizon, years, bold) in enumerate(goal_specs):
                goals[key, index] = self.add(
                    m.Goal(
                        priority_id=priority.id,
                        title=title,
                        horizon=horizon,
                        is_bold=bold,
                        target_date=date(self.as_of.year + years, 6, 30),
                        position=index,
                    )
                )
        self.s.flush()
        for position, spec in enumerate(c.METRICS):
            self.add_metric(spec, goals[spec.goal], position)

    def add_metric(self, spec: c.MetricSpec, goal: m.Goal, position: int) -> None:
        kpi = spec.kpi == "KPI"
        dept = self.departments[spec.department]
        # A few supporting metrics lack their "worth tracking" answers, as in real programs.
        complete = kpi or self.rng.random() < 0.5
        periods = self.value_periods(spec.frequency)
        metric = self.add(
            m.Metric(
                name=spec.name,
                description=f"{spec.name}, reported {spec.frequency.value} by {dept.name}.",
                goal_id=goal.id,
                is_kpi=kpi,
                kpi_id=None if kpi or spec.kpi is None else self.metrics[spec.kpi].id,
                measure_type=spec.measure,
                unit=spec.unit,
                unit_label=spec.unit_label,
                decimals=spec.decimals,
                frequency=spec.frequency,
                direction=spec.direction,
                band_low=spec.band[0] if spec.band else None,
                band_high=spec.band[1] if spec.band else None,
                roll_up=spec.roll_up,
                baseline_value=round(spec.start, spec.decimals),
                baseline_period=periods[0].start,
                tolerance=spec.tolerance,
                tolerance_kind=ToleranceKind.ABSOLUTE
                if spec.unit is Unit.PERCENT
                else ToleranceKind.RELATIVE,
                methodology=f"Computed by the {dept.name} contact from the source system each "
                f"period; see the data dictionary of the source dataset.",
                department_id=dept.id,
                owner_id=self.staff(spec.department, Role.DEPARTMENT_LEAD).id,
                worth_concern="Raised by the mayor and council in the budget hearings."
                if complete
                else None,
                worth_feedback_loop="Staffing, scheduling and process changes the department "
                "controls move it within months."
                if complete
                else None,
                worth_collection="Pulled automatically from the department's system of record."
                if complete or self.rng.random() < 0.5
                else None,
                worth_mandate="Part of the adopted strategic plan." if kpi else None,
                position=position,
            )
        )
        self.metrics[spec.key] = metric
        self.s.flush()
        for title in spec.datasets:
            self.add(m.MetricDataset(metric_id=metric.id, dataset_id=self.datasets[title].id))
        self.values(metric, spec, periods)

    def value_periods(self, frequency: Frequency) -> list[Period]:
        """Complete periods from the start of the fiscal year two years back to `as_of`."""
        first_year = fiscal_year(self.as_of, self.fy) - 2
        first = period_containing(fiscal_year_start(first_year, self.fy), frequency, self.fy)
        last = period_containing(self.as_of, frequency, self.fy)
        return [p for p in periods_between(first, last) if period_end(p) < self.as_of]

    def values(self, metric: m.Metric, spec: c.MetricSpec, periods: list[Period]) -> None:
        count = max(len(periods) - 1, 1)
        for index, period in enumerate(periods):
            level = spec.start + (spec.end - spec.start) * _shape(spec.shape, index / count)
            mid_month = add_months(period.start, 1).month
            level *= 1 + spec.seasonal * math.cos(2 * math.pi * (mid_month - 3) / 12)
            value = level * (1 + self.rng.gauss(0, spec.noise))
            if spec.unit is Unit.PERCENT:
                value = min(value, 100.0)
            value = round(max(value, 0.0), spec.decimals)
            self.add(
                m.MetricValue(
                    metric_id=metric.id,
                    period_start=period.start,
                    frequency=period.frequency,
                    value=value,
                    note=c.PERIOD_NOTES.get(spec.key, {}).get(len(periods) - index),
                )
            )
        # Targets through the end of the current fiscal year, stepping up each year.
        current = fiscal_year(self.as_of, self.fy)
        last = period_containing(
            fiscal_year_start(current + 1, self.fy) - timedelta(days=1), spec.frequency, self.fy
        )
        period = periods[0] if periods else last
        while period <= last:
            step = fiscal_year(period.start, self.fy) - (current - 2)
            target = spec.target_start + (spec.target_end - spec.target_start) * step / 2
            future = period_end(period) >= self.as_of
            self.add(
                m.Target(
                    metric_id=metric.id,
                    period_start=period.start,
                    frequency=period.frequency,
                    target=round(target, spec.decimals),
                    forecast=round(spec.end, spec.decimals)
                    if future and spec.kpi == "KPI"
                    else None,
                )
            )
            period = next_period(period)

    # ------------------------------------------------------------------ meetings
    def meetings(self) -> None:
        stat_team = [
            self.role_holder(Role.PRINCIPAL),
            self.role_holder(Role.STAT_LEAD),
            self.role_holder(Role.STAT_ANALYST),
        ]
        pw1 = self.meeting("pw", 3, stat_team, "Public Works Stat")
        pd1 = self.meeting("police", 2, stat_team, "Police Stat")
        pw2 = self.meeting("pw", 1, stat_team, "Public Works Stat")
        self.meeting("police", -1, stat_team, "Police Stat")  # the next one, still planned
        self.s.flush()

        self.agenda(
            pw1,
            [
                (AgendaSection.STANDING, "Pothole repair times", 15, "potholes_48h"),
                (AgendaSection.STANDING, "Pavement condition", 8, "pci"),
                (AgendaSection.STANDING, "Street light repairs", 10, "lights_5d"),
                (AgendaSection.NEW, "Winter storm readiness", 15, None),
                (AgendaSection.NEW, "Fleet downtime and the budget request", 12, None),
            ],
        )
        items1 = [
            self.action(
                pw1,
                "Map pothole repair times by council district",
                Deliverable.ANALYSIS,
                "pw",
                Role.DEPARTMENT_CONTACT,
                21,
                ActionStatus.COMPLETED,
                19,
                "Potholes",
            ),
            self.action(
                pw1,
                "Draft a budget request for a second pothole crew",
                Deliverable.BUDGET_REQUEST,
                "pw",
                Role.DEPARTMENT_LEAD,
                30,
                ActionStatus.COMPLETED,
                41,
                "Potholes",
            ),
            self.action(
                pw1,
                "Report the street light repair backlog by cause",
                Deliverable.REPORT,
                "pw",
                Role.DEPARTMENT_CONTACT,
                14,
                ActionStatus.INCOMPLETE,
                None,
                "Street lights",
            ),
            self.action(
                pw1,
                "Brief council on the winter storm plan",
                Deliverable.BRIEFING,
                "pw",
                Role.DEPARTMENT_LEAD,
                10,
                ActionStatus.OVERTAKEN_BY_EVENTS,
                None,
                "Winter storms",
            ),
        ]
        self.agenda(
            pd1,
            [
                (AgendaSection.STANDING, "Priority 1 response times", 15, "police_response"),
                (AgendaSection.STANDING, "Sworn vacancies", 10, "police_vacancies"),
                (AgendaSection.STANDING, "Part I crime", 10, "part1_crime"),
                (AgendaSection.NEW, "Recruitment pipeline", 15, None),
            ],
        )
        analysis = self.action(
            pd1,
            "Analyze response times by shift and beat",
            Deliverable.ANALYSIS,
            "police",
            Role.DEPARTMENT_CONTACT,
            30,
            ActionStatus.UNDER_REVIEW,
            None,
            "Response times",
        )
        self.action(
            pd1,
            "Present options to recruit and retain officers",
            Deliverable.MEMO,
            "police",
            Role.DEPARTMENT_LEAD,
            75,
            ActionStatus.INCOMPLETE,
            None,
            "Staffing",
        )
        self.action(
            pd1,
            "Launch a lateral-hire incentive program",
            Deliverable.PROGRAM_LAUNCH,
            "police",
            Role.DEPARTMENT_LEAD,
            60,
            ActionStatus.ON_HOLD,
            None,
            "Staffing",
        )
        self.s.flush()
        merged = self.action(
            pd1,
            "Compare overtime with vacancies month by month",
            Deliverable.ANALYSIS,
            "police",
            Role.DEPARTMENT_CONTACT,
            30,
            ActionStatus.MERGED,
            None,
            "Response times",
        )
        merged.merged_into_id = analysis.id

        self.s.flush()  # the follow-up items' ids, for the agenda to name them
        follows_up = {f"Follow-up: {item.description}": item for item in items1}
        self.agenda(
            pw2,
            [
                *((AgendaSection.FOLLOW_UP, title, 4, None) for title in follows_up),
                (AgendaSection.STANDING, "Pothole repair times", 12, "potholes_48h"),
                (AgendaSection.STANDING, "Street light repairs", 10, "lights_5d"),
                (AgendaSection.NEW, "Solid waste route changes", 15, None),
            ],
            follows_up,
        )
        self.action(
            pw2,
            "Pilot new solid waste routes in two neighborhoods",
            Deliverable.RESOURCE_DEPLOYMENT,
            "pw",
            Role.DEPARTMENT_LEAD,
            45,
            ActionStatus.INCOMPLETE,
            None,
            "Solid waste",
        )
        self.action(
            pw2,
            "Share fleet downtime data with the budget office",
            Deliverable.REPORT,
            "pw",
            Role.DEPARTMENT_CONTACT,
            14,
            ActionStatus.COMPLETED,
            9,
            "Fleet",
        )

    def meeting(
        self, dept_key: str, months_ago: int, stat_team: list[m.Person], title: str
    ) -> m.Meeting:
        month = add_months(self.as_of.replace(day=1), -months_ago)
        # The second Tuesday of the month, at ten.
        first_tuesday = month + timedelta(days=(1 - month.weekday()) % 7)
        day = first_tuesday + timedelta(days=7)
        held = months_ago > 0
        reporting = period_containing(add_months(month, -1), Frequency.MONTHLY, self.fy)
        meeting = self.add(
            m.Meeting(
                department_id=self.departments[dept_key].id,
                title=title,
                starts_at=datetime.combine(day, time(10, 0)),
                location="City Hall, Room 301",
                leader_id=stat_team[1].id,
                reporting_period=reporting.start,
                reporting_frequency=Frequency.MONTHLY,
                session_minutes=90,
                status=MeetingStatus.HELD if held else MeetingStatus.PLANNED,
                materials_due=day - timedelta(days=7),
                # the same seed makes the same city, calendar identities too
                calendar_uid=f"{uuid.uuid5(uuid.NAMESPACE_URL, f'demo/{dept_key}/{day}')}@statdesk",
            )
        )
        self.s.flush()
        budget = next(
            p
            for name, (analyst, depts) in c.PORTFOLIOS.items()
            if dept_key in depts
            for p in [self.people[analyst]]
        )
        invited = [
            *stat_team,
            self.staff(dept_key, Role.DEPARTMENT_LEAD),
            self.staff(dept_key, Role.DEPARTMENT_CONTACT),
            budget,
        ]
        for person in dict.fromkeys(invited):
            self.add(
                m.Attendee(
                    meeting_id=meeting.id,
                    person_id=person.id,
                    attended=True if held else None,
                    worth_time=self.rng.choice([WorthTime.YES, WorthTime.YES, WorthTime.SOMEWHAT])
                    if held
                    else None,
                )
            )
        return meeting

    def agenda(
        self,
        meeting: m.Meeting,
        items: list[tuple[AgendaSection, str, int, str | None]],
        follows_up: dict[str, m.ActionItem] | None = None,
    ) -> None:
        """The meeting's agenda; `follows_up` links a follow-up item's title to its action
        item, whose status the memo prints. Narratives are the analyst's words: what the
        panel should know, never numbers that could go stale."""
        narratives = {
            AgendaSection.FOLLOW_UP: "",  # where it stands is the item's status line
            AgendaSection.STANDING: "The department walks through the latest period and "
            "what it will do about the gap, if any.",
            AgendaSection.NEW: "Why this is on the agenda, and what the panel is asked to decide.",
        }
        questions = {
            AgendaSection.FOLLOW_UP: "What was done since the last session?\n"
            "What is still in the way, and who can clear it?",
            AgendaSection.STANDING: "How does this period compare with the target and with "
            "the same period last year?\nWhat explains the change?\n"
            "What will the department do differently before the next session?",
            AgendaSection.NEW: "How big is the problem, and how do we know?\n"
            "What would it cost to fix, and what would it cost not to?",
        }
        for position, (section, title, minutes, metric_key) in enumerate(items):
            metric = self.metrics.get(metric_key) if metric_key else None
            source = None
            if metric_key:
                spec = next(s for s in c.METRICS if s.key == metric_key)
                source = "; ".join(spec.datasets)
            self.add(
                m.AgendaItem(
                    meeting_id=meeting.id,
                    section=section,
                    position=position,
                    title=title,
                    minutes=minutes,
                    metric_id=metric.id if metric else None,
                    action_item_id=follows_up[title].id
                    if follows_up and title in follows_up
                    else None,
                    data_source=source,
                    narrative=narratives[section] or None,
                    questions=questions[section],
                )
            )

    def action(
        self,
        meeting: m.Meeting,
        description: str,
        deliverable: Deliverable,
        dept_key: str,
        owner_role: Role,
        due_in: int,
        status: ActionStatus,
        done_in: int | None,
        topic: str,
    ) -> m.ActionItem:
        held_on = meeting.starts_at.date()
        return self.add(
            m.ActionItem(
                description=description,
                topic=topic,
                deliverable=deliverable,
                owner_id=self.staff(dept_key, owner_role).id,
                department_id=self.departments[dept_key].id,
                due=held_on + timedelta(days=due_in),
                priority=self.rng.choice(list(Priority)),
                status=status,
                created_on=held_on,
                completed_on=held_on + timedelta(days=done_in) if done_in is not None else None,
                origin_meeting_id=meeting.id,
            )
        )


def _shape(shape: str, t: float) -> float:
    """How far along its story a metric is at `t` (0 at the start, 1 at the end)."""
    if shape == "late_slip":
        return max(0.0, (t - 0.6) / 0.4)
    if shape == "dip":
        return t - 1.2 * math.sin(math.pi * t)
    if shape == "step":
        return min(1.0, max(0.0, (t - 0.4) / 0.15))
    return t  # linear and flat (a flat metric's start and end are close)
