"""One mock ESIA's state: settings, keys, clock, store, faults, journal, and the rules that need
all of them (which client may log in, where an error may be sent back). Handlers reach it
through `request.app.state.mock`; nothing here knows about HTTP responses."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from mock_esia.clock import Clock
from mock_esia.config import Settings
from mock_esia.errors import Catalogue, EsiaError
from mock_esia.faults.book import FaultBook
from mock_esia.faults.operations import add_fault
from mock_esia.faults.rules import FaultSpec
from mock_esia.journal import Journal
from mock_esia.keys import GostSigningKey, SigningKey
from mock_esia.people import operations
from mock_esia.people.factory import SEED_SPACE, PersonFactory
from mock_esia.people.model import Persona
from mock_esia.people.presets import PRESETS, Preset, load_presets
from mock_esia.persistence import NoState, open_state
from mock_esia.relying_parties import Client, is_loopback_uri, unregistered_client
from mock_esia.store import MemoryStore
from mock_esia.tokens import TokenIssuer
from mock_esia.usage import Usage

LOG = logging.getLogger("mock_esia")
MAX_CLIENT_ID = 64
# Lenient clients warned about; beyond this many made-up client ids nothing more is remembered.
MAX_WARNED_CLIENTS = 1000


@dataclass
class MockEsia:
    """Everything one mock instance knows; handlers reach it through `request.app.state.mock`."""

    settings: Settings
    key: SigningKey
    clock: Clock = field(default_factory=Clock)
    store: MemoryStore = field(default_factory=MemoryStore)
    factory: PersonFactory = field(default_factory=PersonFactory)
    faults: FaultBook = field(default_factory=FaultBook)
    gost_key: GostSigningKey = field(default_factory=GostSigningKey.generate)
    next_seed: int = field(default_factory=lambda: secrets.randbelow(SEED_SPACE // 2))
    presets: dict[str, Preset] = field(default_factory=lambda: dict(PRESETS))
    saved: NoState = field(default_factory=NoState)

    @classmethod
    def open(cls, settings: Settings, key: SigningKey | None = None) -> MockEsia:
        """A mock whose state lives in `settings.state_dir` when given: what was kept there is
        restored, and the keys are those of the last start (a `--signing-key` given now wins)."""
        saved = open_state(settings.state_dir)
        try:
            return cls._restored(settings, key, saved)
        except BaseException:
            saved.close()
            raise

    @classmethod
    def _restored(cls, settings: Settings, key: SigningKey | None, saved: NoState) -> MockEsia:
        if key is None and settings.signing_key_path:
            key = SigningKey.from_pem_file(
                settings.signing_key_path, settings.signing_certificate_path
            )
        kept_rsa, kept_gost = saved.get("key", "rsa"), saved.get("key", "gost")
        key = key or (SigningKey.from_record(kept_rsa) if kept_rsa else SigningKey.generate())
        gost_key = GostSigningKey.from_record(kept_gost) if kept_gost else GostSigningKey.generate()
        with saved.transaction():
            saved.put("key", "rsa", key.to_record())
            saved.put("key", "gost", gost_key.to_record())
        mock = cls(
            settings=settings,
            key=key,
            gost_key=gost_key,
            clock=Clock(saved),
            store=MemoryStore(saved),
            faults=FaultBook(saved),
            saved=saved,
        )
        mock.clock.restore()
        mock.store.restore()
        mock.faults.restore()
        kept_seed = saved.get("value", "next_seed")
        if kept_seed is not None:
            mock.next_seed = int(kept_seed)
        return mock

    def close(self) -> None:
        self.saved.close()

    def __post_init__(self) -> None:
        if self.settings.presets_files:  # a team's own, checked before the mock serves
            self.presets = load_presets(self.settings.presets_files, self.presets)
        self.tokens = TokenIssuer(self.key, self.settings, self.clock, self.gost_key)
        self.journal = Journal(self.settings.journal_size)
        self.usage = Usage()
        self._warned_lenient: set[str] = set()

    def resolve_client(self, client_id: str) -> Client:
        return self.store.client(client_id) or unregistered_client(client_id)

    def client_for(self, client_id: str) -> Client:
        """The registered client, or the lenient stand-in unless only registered ones may log in.

        ESIA answers a client it has no certificate for with ESIA-007005 (AISGorod#38)."""
        if len(client_id) > MAX_CLIENT_ID:
            raise EsiaError(Catalogue.INVALID_REQUEST, f"client_id longer than {MAX_CLIENT_ID}")
        client = self.store.client(client_id)
        if client is None and not self.settings.allow_unregistered_clients:
            raise EsiaError(
                Catalogue.UNAUTHORIZED_CLIENT, f"no certificate registered for {client_id!r}"
            )
        return client or unregistered_client(client_id)

    def warn_lenient_once(self, client_id: str) -> None:
        """One loud line per client whose signatures are not checked: a green run against a
        lenient client says nothing about whether ESIA would accept it."""
        if client_id in self._warned_lenient or len(self._warned_lenient) >= MAX_WARNED_CLIENTS:
            return
        self._warned_lenient.add(client_id)
        LOG.warning(
            "client %r is checked LENIENTLY: its client_secret is not verified, so a login "
            "that works here may fail at ESIA. Register it in a strict mode "
            "(POST /__admin/clients with secret_mode 'gost' and its certificate).",
            client_id,
        )

    def redirect_allowed(self, client: Client, redirect_uri: str) -> bool:
        if self.store.client(client.client_id) is None:
            return is_loopback_uri(redirect_uri)
        return client.allows_redirect(redirect_uri)

    def take_seed(self) -> int:
        seed = self.next_seed
        self.next_seed = (self.next_seed + 1) % SEED_SPACE
        self.saved.put("value", "next_seed", self.next_seed)
        return seed

    # --- control-plane operations, shared by the admin API and the CLI -----------------
    def create_persona(self, **request: Any) -> Persona:
        """`preset`, `seed`, `overrides`, `remove` or a whole `spec` (people/operations.py)."""
        return operations.create_persona(
            self.store, self.factory, self.take_seed, self.clock.today(), self.presets, **request
        )

    def add_fault(self, spec: FaultSpec) -> dict:
        return add_fault(self.faults, self.store, spec, self.clock.time())

    def reset(self) -> None:
        """Back to a fresh mock: no people, clients, consents, faults, journal; clock at zero.
        The signing keys stay: portals that trust their certificates go on working."""
        self.store.reset()
        self.faults.reset()
        self.journal.clear()
        self.usage.clear()
        self.clock.set_offset(0)
