// Types for the parts of ml-logistic-regression (mljs) Tend uses; the package ships none.
declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';
  interface TwoClasses {
    testScores(features: Matrix): number[];
    toJSON(): unknown;
  }
  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    classifiers: TwoClasses[];
    numberClasses: number;
    train(X: Matrix, Y: Matrix): void;
    predict(X: Matrix): number[];
    toJSON(): unknown;
    static load(model: unknown): LogisticRegression;
  }
}
