"""Client compatibility: the official Kubernetes Python client (Debian's python3-kubernetes)
against an API server named by $KUBECONFIG (fluid up's, or any real kube-apiserver).

Each test states what Kubernetes does and checks that the server does it, through the client's
normal calls (watch.Watch().stream sends watch=True, list limit/_continue, CustomObjectsApi).
All objects live in a namespace created for the run and deleted at the end. Deterministic: no
sleeps; watches end by event count or by their server-side timeout.

Run: KUBECONFIG=... /usr/bin/python3 -m unittest -v test_client_compat
"""
import base64
import json
import os
import threading
import unittest
import uuid

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

NS = f"pycompat-{uuid.uuid4().hex[:8]}"
DATASET = dict(group="data.fluid.io", version="v1alpha1", plural="datasets")


def setUpModule():
    config.load_kube_config(config_file=os.environ["KUBECONFIG"])
    client.CoreV1Api().create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=NS)))


def tearDownModule():
    try:
        client.CoreV1Api().delete_namespace(NS)
    except ApiException as e:
        if e.status != 404:
            raise


def cm(name, data=None, labels=None):
    return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name, labels=labels), data=data)


class Base(unittest.TestCase):
    def setUp(self):
        self.v1 = client.CoreV1Api()

    def assertStatus(self, status, fn, *args, **kwargs):
        with self.assertRaises(ApiException) as ctx:
            fn(*args, **kwargs)
        self.assertEqual(ctx.exception.status, status, ctx.exception.body)
        return ctx.exception


class CoreCrud(Base):
    def test_configmap_create_read_replace_conflict_delete(self):
        created = self.v1.create_namespaced_config_map(NS, cm("crud", {"a": "1"}))
        self.assertEqual(created.data, {"a": "1"})
        self.assertTrue(created.metadata.uid)
        self.assertTrue(created.metadata.resource_version)
        self.assertStatus(409, self.v1.create_namespaced_config_map, NS, cm("crud"))
        got = self.v1.read_namespaced_config_map("crud", NS)
        got.data["b"] = "2"
        replaced = self.v1.replace_namespaced_config_map("crud", NS, got)
        self.assertEqual(replaced.data, {"a": "1", "b": "2"})
        self.assertNotEqual(replaced.metadata.resource_version, got.metadata.resource_version)
        # got still carries the old resourceVersion: a stale update is a 409 Conflict.
        got.data["c"] = "3"
        self.assertStatus(409, self.v1.replace_namespaced_config_map, "crud", NS, got)
        self.v1.delete_namespaced_config_map("crud", NS)
        self.assertStatus(404, self.v1.read_namespaced_config_map, "crud", NS)

    def test_secret_string_data_becomes_base64_data(self):
        body = client.V1Secret(metadata=client.V1ObjectMeta(name="pw"), string_data={"password": "hunter2"}, type="Opaque")
        created = self.v1.create_namespaced_secret(NS, body)
        self.assertEqual(base64.b64decode(created.data["password"]), b"hunter2")
        self.assertIsNone(created.string_data)
        got = self.v1.read_namespaced_secret("pw", NS)
        got.data["user"] = base64.b64encode(b"root").decode()
        self.v1.replace_namespaced_secret("pw", NS, got)
        self.assertEqual(sorted(self.v1.read_namespaced_secret("pw", NS).data), ["password", "user"])
        self.v1.delete_namespaced_secret("pw", NS)
        self.assertStatus(404, self.v1.read_namespaced_secret, "pw", NS)

    def test_invalid_name_is_422(self):
        e = self.assertStatus(422, self.v1.create_namespaced_config_map, NS, cm("Bad_Name"))
        status = json.loads(e.body)
        self.assertEqual(status["reason"], "Invalid")
        self.assertTrue(status["message"].startswith('ConfigMap "Bad_Name" is invalid: metadata.name'), status["message"])


class Patches(Base):
    def setUp(self):
        super().setUp()
        self.name = f"p-{uuid.uuid4().hex[:6]}"
        self.v1.create_namespaced_config_map(NS, cm(self.name, {"a": "1", "b": "2"}, {"x": "1"}))

    def tearDown(self):
        self.v1.delete_namespaced_config_map(self.name, NS)

    def test_json_patch(self):
        # A list body is sent as application/json-patch+json.
        out = self.v1.patch_namespaced_config_map(self.name, NS, [
            {"op": "add", "path": "/data/c", "value": "3"},
            {"op": "remove", "path": "/data/a"},
            {"op": "test", "path": "/data/b", "value": "2"},
        ])
        self.assertEqual(out.data, {"b": "2", "c": "3"})
        # An operation that fails (here a test) fails the whole patch with 422, as in kube.
        self.assertStatus(422, self.v1.patch_namespaced_config_map, self.name, NS, [{"op": "test", "path": "/data/b", "value": "nope"}])

    def test_strategic_merge_patch(self):
        # A dict body is sent as application/strategic-merge-patch+json; null deletes a key.
        out = self.v1.patch_namespaced_config_map(self.name, NS, {"metadata": {"labels": {"y": "2"}}, "data": {"a": None, "d": "4"}})
        self.assertEqual(out.data, {"b": "2", "d": "4"})
        self.assertEqual(out.metadata.labels, {"x": "1", "y": "2"})

    def test_merge_patch(self):
        api = self.v1.api_client
        out = api.call_api(
            f"/api/v1/namespaces/{NS}/configmaps/{self.name}", "PATCH",
            header_params={"Content-Type": "application/merge-patch+json", "Accept": "application/json"},
            body={"data": {"b": None, "e": "5"}}, response_type="V1ConfigMap", auth_settings=["BearerToken"], _return_http_data_only=True)
        self.assertEqual(out.data, {"a": "1", "e": "5"})

    def test_noop_patch_keeps_resource_version(self):
        before = self.v1.read_namespaced_config_map(self.name, NS)
        after = self.v1.patch_namespaced_config_map(self.name, NS, {"data": {"a": "1"}})
        self.assertEqual(after.metadata.resource_version, before.metadata.resource_version)


class Watches(Base):
    def test_watch_without_resource_version_starts_with_current_objects(self):
        labels = {"w": uuid.uuid4().hex[:6]}
        for i in range(3):
            self.v1.create_namespaced_config_map(NS, cm(f"w0-{labels['w']}-{i}", labels=labels))
        w = watch.Watch()
        seen = []
        for ev in w.stream(self.v1.list_namespaced_config_map, NS, label_selector=f"w={labels['w']}", timeout_seconds=10):
            seen.append((ev["type"], ev["object"].metadata.name))
            if len(seen) == 3:
                w.stop()
        self.assertEqual(sorted(seen), [("ADDED", f"w0-{labels['w']}-{i}") for i in range(3)])

    def test_watch_from_resource_version_replays_then_follows_live_changes(self):
        tag = uuid.uuid4().hex[:6]
        listed = self.v1.list_namespaced_config_map(NS, label_selector=f"w={tag}")
        self.assertEqual(listed.items, [])
        name = f"w1-{tag}"
        # Made before the watch opens: replayed from the list's resourceVersion.
        self.v1.create_namespaced_config_map(NS, cm(name, {"v": "1"}, {"w": tag}))
        self.v1.patch_namespaced_config_map(name, NS, {"data": {"v": "2"}})
        w = watch.Watch()
        seen = []
        for ev in w.stream(self.v1.list_namespaced_config_map, NS, label_selector=f"w={tag}",
                           resource_version=listed.metadata.resource_version, timeout_seconds=20):
            seen.append((ev["type"], (ev["object"].data or {}).get("v")))
            if len(seen) == 2:
                # Made while the watch is open: delivered live.
                threading.Thread(target=self.v1.delete_namespaced_config_map, args=(name, NS)).start()
            if len(seen) == 3:
                w.stop()
        self.assertEqual(seen, [("ADDED", "1"), ("MODIFIED", "2"), ("DELETED", "2")])


class Pagination(Base):
    def test_limit_and_continue_page_through_one_snapshot(self):
        tag = uuid.uuid4().hex[:6]
        names = [f"pg-{tag}-{i}" for i in range(5)]
        for n in names:
            self.v1.create_namespaced_config_map(NS, cm(n, labels={"pg": tag}))
        first = self.v1.list_namespaced_config_map(NS, label_selector=f"pg={tag}", limit=2)
        self.assertEqual(len(first.items), 2)
        self.assertTrue(first.metadata._continue)
        # Changes after the first page do not show in later pages: they come from its snapshot.
        self.v1.create_namespaced_config_map(NS, cm(f"pg-{tag}-9", labels={"pg": tag}))
        self.v1.delete_namespaced_config_map(names[4], NS)
        got = [i.metadata.name for i in first.items]
        token = first.metadata._continue
        while token:
            page = self.v1.list_namespaced_config_map(NS, label_selector=f"pg={tag}", limit=2, _continue=token)
            self.assertLessEqual(len(page.items), 2)
            self.assertEqual(page.metadata.resource_version, first.metadata.resource_version)
            got += [i.metadata.name for i in page.items]
            token = page.metadata._continue
        self.assertEqual(got, names)
        now = [i.metadata.name for i in self.v1.list_namespaced_config_map(NS, label_selector=f"pg={tag}").items]
        self.assertEqual(now, names[:4] + [f"pg-{tag}-9"])

    def test_bad_continue_token_is_400(self):
        self.assertStatus(400, self.v1.list_namespaced_config_map, NS, limit=1, _continue="not-a-token")


class Selectors(Base):
    @classmethod
    def setUpClass(cls):
        config.load_kube_config(config_file=os.environ["KUBECONFIG"])
        v1 = client.CoreV1Api()
        for name, labels in [("s-a", {"app": "web", "tier": "front"}), ("s-b", {"app": "web", "tier": "back"}), ("s-c", {"app": "db"})]:
            v1.create_namespaced_config_map(NS, cm(name, labels={**labels, "sel": "1"}))

    def names(self, **kw):
        return sorted(i.metadata.name for i in self.v1.list_namespaced_config_map(NS, **kw).items if i.metadata.name.startswith("s-"))

    def test_label_selectors(self):
        self.assertEqual(self.names(label_selector="app=web"), ["s-a", "s-b"])
        self.assertEqual(self.names(label_selector="app in (web,db),tier!=back"), ["s-a", "s-c"])
        self.assertEqual(self.names(label_selector="sel,!tier"), ["s-c"])
        self.assertEqual(self.names(label_selector="app notin (web)"), ["s-c"])
        self.assertStatus(400, self.v1.list_namespaced_config_map, NS, label_selector="app in (")

    def test_field_selectors(self):
        self.assertEqual(self.names(field_selector="metadata.name=s-b"), ["s-b"])
        self.assertEqual(self.names(field_selector=f"metadata.name!=s-b,metadata.namespace={NS}", label_selector="sel"), ["s-a", "s-c"])
        self.assertStatus(400, self.v1.list_namespaced_config_map, NS, field_selector="spec.nope=1")


class CustomObjects(Base):
    def test_dataset_crud_through_custom_objects_api(self):
        api = client.CustomObjectsApi()
        body = {
            "apiVersion": "data.fluid.io/v1alpha1", "kind": "Dataset",
            "metadata": {"name": "pyds", "labels": {"from": "python"}},
            "spec": {"mounts": [{"mountPoint": "https://example.org/data/", "name": "d"}]},
        }
        created = api.create_namespaced_custom_object(namespace=NS, body=body, **DATASET)
        self.assertEqual(created["kind"], "Dataset")
        self.assertEqual(created["spec"]["mounts"][0]["name"], "d")
        got = api.get_namespaced_custom_object(namespace=NS, name="pyds", **DATASET)
        self.assertEqual(got["metadata"]["uid"], created["metadata"]["uid"])
        listed = api.list_namespaced_custom_object(namespace=NS, label_selector="from=python", **DATASET)
        self.assertEqual([i["metadata"]["name"] for i in listed["items"]], ["pyds"])
        patched = api.patch_namespaced_custom_object(namespace=NS, name="pyds", body={"metadata": {"labels": {"p": "1"}}}, **DATASET)
        self.assertEqual(patched["metadata"]["labels"], {"from": "python", "p": "1"})
        with self.assertRaises(ApiException) as ctx:
            api.create_namespaced_custom_object(namespace=NS, body={**body, "metadata": {"name": "bad"}, "spec": {"mounts": "nope"}}, **DATASET)
        self.assertEqual(ctx.exception.status, 422, ctx.exception.body)
        api.delete_namespaced_custom_object(namespace=NS, name="pyds", **DATASET)


if __name__ == "__main__":
    unittest.main()
