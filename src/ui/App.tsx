export function App() {
  return <main>Outreach Register</main>;
}
