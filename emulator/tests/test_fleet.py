"""Fleet mode: several agents in one process share the account, each keeps its own local state."""

from __future__ import annotations

import pytest

from emulator_testlib import (
    ENGINEERING_ID, FINANCE_ID, LAUNCH_ASSETS_ID, MARKETING_ID, SEED_FILE, Emu, EmulatorProcess, assert_api_error, find_free_port_block,
)


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    """Three agents on consecutive ports, seeded: agent 1 admin, agent 2 alice, agent 3 bob."""
    last_error = None
    for _attempt in range(3):  # another process may grab a port between probing and binding
        base = find_free_port_block(3)
        try:
            process = EmulatorProcess("--seed", str(SEED_FILE), "--port", str(base), "--agents", "3", agents=3,
                                      tmp_dir=tmp_path_factory.mktemp("fleet"))
        except RuntimeError as err:
            last_error = err
            continue
        assert process.ports == [base, base + 1, base + 2]
        yield process
        process.stop()
        return
    raise last_error


@pytest.fixture
def agents(fleet):
    clients = [Emu(url, fleet) for url in fleet.urls]
    clients[0].reset()
    return clients


def local_ids(entries):
    return {entry["sharedDriveId"]: entry["permissionType"] for entry in entries}


def test_each_agent_syncs_what_its_user_reaches(agents):
    admin, alice, bob = agents
    assert local_ids(admin.sync()) == {MARKETING_ID: 2, ENGINEERING_ID: 2, LAUNCH_ASSETS_ID: 2, FINANCE_ID: 2}
    assert local_ids(alice.sync()) == {ENGINEERING_ID: 2}  # direct ReadWrite beats the group's Read
    assert local_ids(bob.sync()) == {MARKETING_ID: 1, LAUNCH_ASSETS_ID: 2}  # direct Read, project ReadWrite


def test_local_lists_are_per_agent(agents):
    admin, alice, bob = agents
    admin.sync()
    assert alice.get("/management/clouddrive", token=None).json() == []
    assert bob.get("/management/clouddrive", token=None).json() == []
    assert len(admin.get("/management/clouddrive", token=None).json()) == 4


def test_account_store_is_shared_across_agents(agents):
    admin, alice, bob = agents
    created = admin.insert_drive("Fleet Drive")
    assert [d["id"] for d in bob.drives(name="Fleet Drive")["data"]] == [created["id"]]
    token = alice.login().json()["jwtToken"]  # a session opened on one agent works on another
    assert bob.get("/authentication/user", token=token).json()["username"] == "admin@example.com"
    assert_api_error(bob.post("/sharedclouddrive/insert", json={"name": "fleet drive", "cloudAccountId": created["cloudAccountId"],
                                                                "storageName": "b"}), "DUPLICATE")


def test_agent_status_is_per_agent(agents):
    admin, alice, bob = agents
    alice.agent(status=4)
    assert [agent.get("/management/agent_status", token=None).json() for agent in agents] == [1, 4, 1]
    assert_api_error(alice.post("/management/sync_shareddrive", token=None), "SYNC")
    assert local_ids(bob.sync()) == {MARKETING_ID: 1, LAUNCH_ASSETS_ID: 2}
    assert admin.control("GET", "agent").json()["index"] == 1
    assert [agent["status"] for agent in admin.state()["agents"]] == [1, 4, 1]


def test_new_permission_reaches_the_agent_on_its_next_sync(agents):
    admin, alice, _bob = agents
    alice.sync()
    response = admin.post("/userspermission/users_sharedclouddrive_permision",
                          json=[{"userId": "a11ce000-0000-4000-8000-000000000001", "sharedCloudDriveId": FINANCE_ID, "permissionType": 1}])
    assert response.status_code == 200
    assert FINANCE_ID not in local_ids(alice.get("/management/clouddrive", token=None).json())
    assert local_ids(alice.sync())[FINANCE_ID] == 1


def test_a_letter_changed_by_hand_on_one_desktop_stays_there(agents):
    admin, alice, bob = agents
    for agent in agents:
        agent.sync()
    before = {index: local["driveName"] for index, agent in enumerate(agents)
              for local in agent.get("/management/clouddrive", token=None).json() if local["sharedDriveId"] == MARKETING_ID}
    entry = next(local for local in bob.get("/management/clouddrive", token=None).json() if local["sharedDriveId"] == MARKETING_ID)
    assert entry["driveName"] != "Q"
    changed = bob.put(f"/management/clouddrive/{entry['id']}", token=None, json=dict(entry, driveName="Q"))  # what a person does in the app
    assert changed.status_code == 200 and changed.json()["driveName"] == "Q"
    bob.sync()
    admin.sync()
    after = {index: local["driveName"] for index, agent in enumerate(agents)
             for local in agent.get("/management/clouddrive", token=None).json() if local["sharedDriveId"] == MARKETING_ID}
    assert after == {**before, 2: "Q"} and 1 not in after  # alice does not reach Marketing
    assert bob.get(f"/drivereport/summary/{entry['id']}", token=None).json()["DriveName"] == "Q"


def test_request_log_and_faults_know_the_port(agents, fleet):
    admin, alice, bob = agents
    bob.fault(path="/management/agent_status", action="error", status=503, port=fleet.ports[2])
    assert alice.get("/management/agent_status", token=None).status_code == 200
    assert bob.get("/management/agent_status", token=None).status_code == 503
    entries = admin.log()
    assert [(entry["port"], entry["status"]) for entry in entries] == [(fleet.ports[1], 200), (fleet.ports[2], 503)]


def test_explicit_port_list(start_emulator):
    ports = [find_free_port_block(1) for _attempt in range(2)]
    process = start_emulator("--ports", ",".join(map(str, ports)), agents=2)
    assert process.ports == ports
    second = Emu(process.urls[1], process)
    created = second.insert_drive("Only")
    assert local_ids(second.sync()) == {created["id"]: 2}  # agents beyond the seed's list are the admin, started
    assert second.get("/authentication/user", params={}).json()["username"] == "admin@example.com"


def test_os_chosen_ports_for_a_fleet(start_emulator):
    process = start_emulator("--port", "0", "--agents", "2", agents=2)
    assert len(set(process.ports)) == 2
