"""The replica router: only reads inside replica_reads() go to the replica, and only when
one is configured."""

from __future__ import annotations

from django.test import override_settings

from config.db_router import ReplicaRouter, replica_alias, replica_reads
from directives.models import Assignment


def test_reads_stay_on_the_primary_without_a_replica(settings):
    router = ReplicaRouter()
    with replica_reads() as alias:
        assert alias == "default"
        assert router.db_for_read(Assignment) is None


def test_only_reads_inside_replica_reads_go_to_the_replica(settings):
    databases = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}
    router = ReplicaRouter()
    with override_settings(DATABASES=databases):
        assert replica_alias() == "replica"
        assert router.db_for_read(Assignment) is None
        with replica_reads() as alias:
            assert alias == "replica"
            assert router.db_for_read(Assignment) == "replica"
            assert router.db_for_write(Assignment) == "default"
        assert router.db_for_read(Assignment) is None
        assert router.allow_migrate("replica", "directives") is False
        assert router.allow_migrate("default", "directives") is True
