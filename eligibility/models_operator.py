"""Schema of content/operator.yaml: who runs the service, the KVKK data controller, and how
to reach each Knowledge Centre.

Nothing here is invented: the repository's file leaves empty what no source gives, and a
deployment supplies its own file (KUME_OPERATOR_FILE). Empty required fields make the
configuration a demo: front ends say so instead of pretending to be a real service.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, field_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _none_is_empty(value: object) -> object:
    # An empty YAML value (`phone:`) reads as None; it means "not known", like "".
    return "" if value is None else value


class Organisation(_Strict):
    """The organisation that runs the service."""

    name: str = ""
    address: str = ""
    email: str = ""
    kep: str = ""  # Kayıtlı Elektronik Posta address
    phone: str = ""
    web: str = ""

    _empty = field_validator("*", mode="before")(_none_is_empty)


class Controller(_Strict):
    """The KVKK data controller (veri sorumlusu) and where data subjects apply."""

    name: str = ""
    address: str = ""
    application_address: str = ""  # postal address, KEP or e-mail for Art. 11 applications
    email: str = ""
    kep: str = ""

    _empty = field_validator("*", mode="before")(_none_is_empty)


class CentreContact(_Strict):
    """How to reach one Knowledge Centre today, as the operator knows it."""

    active: bool | None = None  # None: nobody has confirmed whether the centre still works
    phone: str = ""
    email: str = ""
    address: str = ""
    web: str = ""
    hours: str = ""

    _empty = field_validator("phone", "email", "address", "web", "hours", mode="before")(
        _none_is_empty
    )

    @property
    def has_contact(self) -> bool:
        """At least one way to reach the centre (hours alone are not a way)."""
        return any((self.phone, self.email, self.address, self.web))


# Required for a real deployment: KVKK Art. 10 names the controller and its address, and a
# data subject must be able to reach the operator. Dotted names as in operator.yaml.
REQUIRED_FIELDS: tuple[tuple[str, ...], ...] = (
    ("operator.name",),
    ("operator.address",),
    ("operator.email", "operator.kep"),  # either is enough
    ("controller.name",),
    ("controller.address",),
    ("controller.application_address",),
)
RECOMMENDED_FIELDS: tuple[str, ...] = ("operator.phone", "operator.web")


class Operator(_Strict):
    operator: Organisation = Organisation()
    controller: Controller = Controller()
    centres: dict[str, CentreContact] = {}  # keyed by the centre ids of project.yaml

    def _value(self, dotted: str) -> str:
        part, field = dotted.split(".")
        value = getattr(getattr(self, part), field)
        return str(value).strip()

    def missing_fields(self) -> list[str]:
        """Required fields that are empty, e.g. ["operator.name", "operator.email|kep"].

        Empty means a demo configuration: `kume bot` must refuse to start on it."""
        missing = []
        for alternatives in REQUIRED_FIELDS:
            if not any(self._value(name) for name in alternatives):
                missing.append(
                    alternatives[0]
                    if len(alternatives) == 1
                    else alternatives[0] + "|" + "|".join(a.split(".")[1] for a in alternatives[1:])
                )
        return missing

    def missing_recommended(self, centre_ids: list[str]) -> list[str]:
        """Not required, but worth filling (`kume doctor` lists these as warnings): phone and
        web of the operator, and for each centre whether it is active and how to reach it."""
        missing = [name for name in RECOMMENDED_FIELDS if not self._value(name)]
        for cid in centre_ids:
            contact = self.centre(cid)
            if contact.active is None:
                missing.append(f"centres.{cid}.active")
            if contact.active is not False and not contact.has_contact:
                missing.append(f"centres.{cid}.phone|email|address|web")
        return missing

    @property
    def is_demo(self) -> bool:
        """True while the operator or the data controller is not fully configured."""
        return bool(self.missing_fields())

    def centre(self, centre_id: str) -> CentreContact:
        """The operator's knowledge of a centre; an empty record when it has none."""
        return self.centres.get(centre_id) or CentreContact()
