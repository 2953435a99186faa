// `npm start` before the kernel existed: the seed's logistic regression, trained with grad.
import { grad, np } from "./index";
import type { NDArray } from "./array/ndarray";

export function main(): void {
  const sigmoid = (x: NDArray) => np.multiply(0.5, np.add(np.tanh(np.divide(x, 2)), 1));
  const inputs = np.array([[0.52, 1.12, 0.77], [0.88, -1.08, 0.15], [0.52, 0.06, -1.3], [0.74, -2.49, 1.39]]);
  const targets = np.array([1, 1, 0, 1]);
  const trainingLoss = (w: NDArray) => {
    const preds = sigmoid(np.dot(inputs, w));
    const probs = np.add(np.multiply(preds, targets), np.multiply(np.subtract(1, preds), np.subtract(1, targets)));
    return np.negative(np.sum(np.log(probs)));
  };
  const g = grad(trainingLoss);
  let w = np.array([0.0, 0.0, 0.0]);
  console.log("Initial loss:", trainingLoss(w).item());
  for (let i = 0; i < 100; i++) w = np.subtract(w, np.multiply(g(w), 0.01));
  console.log("Trained loss:", trainingLoss(w).item());
}
