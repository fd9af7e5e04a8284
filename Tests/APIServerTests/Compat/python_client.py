"""The official Python client against kplane: create/list/watch/patch/replace/delete."""
import threading
import time

from kubernetes import client, config, watch

config.load_kube_config()
apps = client.AppsV1Api()
core = client.CoreV1Api()
ns = "default"

dep = client.V1Deployment(
    metadata=client.V1ObjectMeta(name="py"),
    spec=client.V1DeploymentSpec(
        replicas=2,
        selector=client.V1LabelSelector(match_labels={"app": "py"}),
        template=client.V1PodTemplateSpec(
            metadata=client.V1ObjectMeta(labels={"app": "py"}),
            spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="nginx:1")]),
        ),
    ),
)
d = apps.create_namespaced_deployment(ns, dep)
assert d.metadata.generation == 1 and d.spec.strategy.type == "RollingUpdate", d
assert [x.metadata.name for x in apps.list_namespaced_deployment(ns).items] == ["py"]

events = []


def watcher():
    for e in watch.Watch().stream(apps.list_namespaced_deployment, ns, timeout_seconds=3):
        events.append((e["type"], e["object"].metadata.name))


t = threading.Thread(target=watcher)
t.start()
time.sleep(0.5)
p = apps.patch_namespaced_deployment("py", ns, {"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "nginx:2"}]}}}})
assert p.spec.template.spec.containers[0].image == "nginx:2" and p.metadata.generation == 2
p.spec.replicas = 4
r = apps.replace_namespaced_deployment("py", ns, p)
assert r.spec.replicas == 4
try:
    apps.replace_namespaced_deployment("py", ns, p)
    raise AssertionError("stale replace must conflict")
except client.exceptions.ApiException as e:
    assert e.status == 409, e
apps.delete_namespaced_deployment("py", ns)
t.join()
assert events == [("ADDED", "py"), ("MODIFIED", "py"), ("MODIFIED", "py"), ("DELETED", "py")], events

core.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="pycm"), data={"a": "1"}))
core.patch_namespaced_config_map("pycm", ns, {"data": {"b": "2"}})
cm = core.read_namespaced_config_map("pycm", ns)
assert cm.data == {"a": "1", "b": "2"}, cm.data
cm.data = {"c": "3"}
assert core.replace_namespaced_config_map("pycm", ns, cm).data == {"c": "3"}
assert [c.metadata.name for c in core.list_namespaced_config_map(ns).items] == ["pycm"]
s = core.create_namespaced_secret(ns, client.V1Secret(metadata=client.V1ObjectMeta(name="pys"), string_data={"pw": "x"}))
assert s.data == {"pw": "eA=="} and s.type == "Opaque", s
core.patch_namespaced_secret("pys", ns, {"metadata": {"labels": {"l": "v"}}})
assert core.list_namespaced_secret(ns, label_selector="l=v").items[0].metadata.name == "pys"
core.delete_namespaced_secret("pys", ns)
core.delete_namespaced_config_map("pycm", ns)
for read in (lambda: core.read_namespaced_secret("pys", ns), lambda: core.read_namespaced_config_map("pycm", ns)):
    try:
        read()
        raise AssertionError("deleted object still readable")
    except client.exceptions.ApiException as e:
        assert e.status == 404, e
print("ok")
