# The scikit-learn side of `bench projection`: the same PCA and t-SNE on the same data.
# Reads a JSON request on stdin naming raw little-endian float64 files; prints JSON.
import json, sys, time
import numpy as np
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness

req = json.load(sys.stdin)
out = {}
x = np.fromfile(req["pca_x"], dtype="<f8").reshape(req["pca_n"], req["pca_f"])
times = []
for r in range(req["rounds"]):
    t = time.perf_counter()
    p = PCA(n_components=req["components"], svd_solver="randomized", random_state=r)
    p.fit_transform(x)
    times.append(time.perf_counter() - t)
out["pca_seconds"] = times
out["pca_ratio"] = p.explained_variance_ratio_.tolist()

y = np.fromfile(req["tsne_x"], dtype="<f8").reshape(req["tsne_n"], req["tsne_f"])
t = time.perf_counter()
emb = TSNE(n_components=2, random_state=0, max_iter=req["iterations"]).fit_transform(y)
out["tsne_seconds"] = time.perf_counter() - t
ours = np.fromfile(req["tsne_ours"], dtype="<f8").reshape(req["tsne_n"], 2)
out["trust_sklearn"] = float(trustworthiness(y, emb, n_neighbors=10))
out["trust_ours"] = float(trustworthiness(y, ours, n_neighbors=10))
out["threads"] = __import__("threadpoolctl").threadpool_info()
print(json.dumps(out))
